// Reading many /etc/pve (pmxcfs) files in one SSH round trip: one fixed, read-only Perl script on one node
// (one process for all files) prints every file that matches the given patterns, each after a header line
// with a random delimiter (128 random bits chosen per read), its byte count and its path, and before a
// trailer line with the delimiter: a content is taken by its length, so no file content can break framing.
// pmxcfs shows every node the same tree, so one node suffices.
// The patterns and the delimiter reach the script as quoted positional arguments; nothing is spliced in.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "providers/transport/api_client.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

struct PmxcfsFiles {
  std::string node;                            // the node they were read from
  std::map<std::string, std::string> files;    // path below /etc/pve -> content (bytes as stored)
  std::vector<std::string> unreadable;         // matched, but vanished or unreadable while read
};

inline constexpr std::string_view kPmxcfsRoot = "/etc/pve";

// The script, and the argument vector that runs it (`perl -e SCRIPT NONCE ROOT PATTERN...`). Patterns are
// paths below the root with `*` globs, e.g. "nodes/*/qemu-server/*.conf"; any other character than
// [A-Za-z0-9_.*/-] is refused.
Result<std::vector<std::string>> PmxcfsReadCommand(std::string_view nonce, std::string_view root,
                                                   const std::vector<std::string>& patterns);

// Splits the script's output into files. kUnavailable when it is cut short or not framed as expected.
Result<PmxcfsFiles> ParsePmxcfsDump(std::string_view out, std::string_view nonce);

// Runs the script on `node` (one SSH command) and parses its output.
Result<PmxcfsFiles> ReadPmxcfsFiles(transport::SshClient& ssh, const std::string& node,
                                    const std::vector<std::string>& patterns, std::string_view root = kPmxcfsRoot);

// What one observation reads in its one SSH command: every guest config (nodes/*/qemu-server/*.conf,
// nodes/*/lxc/*.conf) and the cluster-wide files of the kinds that observe from pmxcfs (so far
// ha/resources.cfg, ha/groups.cfg and ha/rules.cfg; storage.cfg, jobs.cfg, datacenter.cfg, user.cfg and
// sdn/*.cfg are still read over the API). Secrets live under priv/, which is never read.
const std::vector<std::string>& PmxcfsObservePatterns();

// One bulk read of /etc/pve per observation, shared by every kind that observes from pmxcfs (the guest kinds
// through GuestList, the section kinds): the first consumer to ask runs the one SSH command, the others take
// the same files — each consumer once, and only while fresh (3 s); a consumer asking again (the next plan of
// an enforce loop, a re-observe) reads anew. A failed read is shared the same way (each kind then observes
// over the API; the read is not retried within the observation).
class PmxcfsReader {
 public:
  // `ssh` null, or without node addresses: disabled (Files answers null).
  explicit PmxcfsReader(transport::SshClient* ssh, std::vector<std::string> patterns = PmxcfsObservePatterns());

  bool enabled() const;

  // The files for `consumer` (e.g. "vm", "storage"); null when disabled; the read's error when it failed.
  Result<std::shared_ptr<const PmxcfsFiles>> Files(const std::string& consumer);

 private:
  transport::SshClient* ssh_;
  std::vector<std::string> patterns_;
  std::mutex mu_;
  std::optional<Result<std::shared_ptr<const PmxcfsFiles>>> last_;
  std::chrono::steady_clock::time_point read_at_;
  std::set<std::string> consumed_;
};

}  // namespace hainfra::providers
