// Reading many /etc/pve (pmxcfs) files in one SSH round trip: one fixed, read-only shell script on one node
// prints every file that matches the given patterns, each framed by a random delimiter that no file can
// contain (128 random bits chosen per read). pmxcfs shows every node the same tree, so one node suffices.
// The patterns and the delimiter reach the script as quoted positional arguments; nothing is spliced in.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

struct PmxcfsFiles {
  std::string node;                            // the node they were read from
  std::map<std::string, std::string> files;    // path below /etc/pve -> content (bytes as stored)
  std::vector<std::string> unreadable;         // matched, but vanished or unreadable while read
};

inline constexpr std::string_view kPmxcfsRoot = "/etc/pve";

// The script, and the argument vector that runs it (`sh -c SCRIPT sh NONCE ROOT PATTERN...`). Patterns are
// paths below the root with `*` globs, e.g. "nodes/*/qemu-server/*.conf"; any other character than
// [A-Za-z0-9_.*/-] is refused.
Result<std::vector<std::string>> PmxcfsReadCommand(std::string_view nonce, std::string_view root,
                                                   const std::vector<std::string>& patterns);

// Splits the script's output into files. kUnavailable when it is cut short or not framed as expected.
Result<PmxcfsFiles> ParsePmxcfsDump(std::string_view out, std::string_view nonce);

// Runs the script on `node` (one SSH command) and parses its output.
Result<PmxcfsFiles> ReadPmxcfsFiles(transport::SshClient& ssh, const std::string& node,
                                    const std::vector<std::string>& patterns, std::string_view root = kPmxcfsRoot);

}  // namespace hainfra::providers
