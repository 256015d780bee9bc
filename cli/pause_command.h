// `hainfra pause --reason TEXT [--until TIME]` and `hainfra resume`: stop (and restart) unattended
// enforcement cluster-wide. The record lives in pmxcfs beside the cluster lock when SSH reaches a quorate
// node, else (API-only) in the local state folder — then only this machine's runners see it, and the
// commands say so. Also the pause check `plan` and `apply` make.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "cli/cluster_session.h"
#include "providers/safety/pause_store.h"

namespace hainfra::cli {

inline constexpr const char* kDefaultStateDir = "/var/lib/hainfra";

// Where the pause record is looked for and written.
struct PauseLocation {
  std::string state_dir = kDefaultStateDir;  // --state-dir: the API-only fallback
  std::string cfs = "/etc/pve";              // pmxcfs's mount point (another folder only in tests)
};

struct PauseOptions {
  PauseLocation location;
  std::string reason;  // --reason (required)
  std::string until;   // --until: RFC 3339 or a duration from now; empty: until resumed
  int64_t now = 0;     // Unix seconds
};

// pmxcfs over SSH on a quorate node, or the local state folder when the session has no SSH (API-only).
// An error when SSH is configured but no quorate node answers (a pause must not silently go local).
Result<std::unique_ptr<safety::PauseStore>> OpenPauseStore(ClusterSession& session, const PauseLocation& location);

// "paused by root@ops since 2026-12-07T15:00:00Z until 2026-12-07T17:00:00Z: kernel upgrades (record: …)".
std::string DescribePause(const safety::PauseRecord& record, const std::string& where);

// The pause in force at `now`, if any (an expired record is none). Reading problems are errors.
Result<std::optional<safety::PauseRecord>> ActivePause(safety::PauseStore& store, int64_t now);

// Exit 0 when written; 1 with the error.
int RunPause(ClusterSession& session, const PauseOptions& options, std::ostream& out, std::ostream& err);
// Exit 0 when removed (or there was no pause); 1 with the error.
int RunResume(ClusterSession& session, const PauseLocation& location, std::ostream& out, std::ostream& err);

// For plan and apply: prints "notice: enforcement is paused ..." to `err` and returns true when paused;
// a pause that cannot be read is a warning (false).
bool PrintPauseNotice(ClusterSession& session, const PauseLocation& location, int64_t now, std::ostream& err);

}  // namespace hainfra::cli
