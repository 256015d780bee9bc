// What the plan, apply and drift commands take besides the spec and the kinds: their options (filled
// by main.cc from the command line, by tests directly) and the console they talk to.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/exec/retry.h"
#include "hainfra/result.h"

namespace hainfra::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;  // plan --detailed-exitcode: changes; drift: drift found

// Options every planning command shares.
struct PlanningOptions {
  std::vector<std::string> targets;  // --target ADDRESS (repeatable): only these and their dependencies
  std::vector<std::string> prune;    // --prune KIND (repeatable): delete owned objects the spec omits
  bool json = false;                 // --json: machine-readable output on stdout
  int parallelism = 8;               // --parallelism: kinds observed / steps run at once
};

struct PlanCommandOptions {
  PlanningOptions planning;
  std::string out;                 // --out FILE: save the plan for `apply FILE`
  bool detailed_exitcode = false;  // --detailed-exitcode: 0 no changes, 2 changes, 1 error
  bool markdown = false;           // --format markdown: a merge-request comment on stdout
  size_t markdown_max_chars = 60000;  // --max-chars: the comment's size cap
};

struct ApplyCommandOptions {
  PlanningOptions planning;
  std::string plan_file;       // apply exactly this saved plan (refused when stale)
  bool auto_approve = false;   // --auto-approve: do not ask
  bool allow_destroy = false;  // --allow-destroy: destructive steps (delete, replace) may run
  int per_node = 2;            // steps at once on one node
  std::function<Status(const std::string& node)> health_gate;  // between the nodes of rolling kinds
  // Before any step runs (the quorum gate): gets the nodes the plan's steps act on; an error refuses.
  std::function<Status(const std::vector<std::string>& nodes)> preflight;
  exec::RetryPolicy retry;
  const std::atomic<bool>* stop = nullptr;  // raised by SIGINT/SIGTERM
};

struct DriftCommandOptions {
  PlanningOptions planning;
  std::string junit;    // --junit FILE: JUnit XML, one testcase per object
  std::string metrics;  // --metrics FILE: Prometheus textfile
  int64_t now = 0;      // Unix seconds, for the metrics' timestamp
};

// Where a command reads answers and writes output; `interactive`, `color` and `live` come from isatty
// and NO_COLOR in main.cc, and are plain flags here so tests can set them.
struct Console {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive = false;  // stdin is a terminal: apply may ask for confirmation
  bool color = false;        // stdout is a terminal and NO_COLOR is unset
  bool live = false;         // stdout is a terminal: live progress
};

}  // namespace hainfra::cli
