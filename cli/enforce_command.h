// `hainfra enforce`: scheduled drift enforcement. One run: skip cleanly when enforcement is paused, the
// cluster is unhealthy or another apply holds the cluster lock; else observe, plan, let the `enforcement:`
// policy (engine/enforce) choose what may run unattended, apply that (never a destructive step), and
// report — JSON, JUnit, Prometheus textfile, a JSON-lines log, a webhook — on every run, failed ones too.
// `--every` repeats runs (with --splay), backing off exponentially after failures. docs/enforce.md.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cli/command_options.h"
#include "cli/pause_command.h"
#include "engine/report/run_report.h"
#include "providers/transport/environment.h"
#include "providers/transport/webhook_client.h"

namespace hainfra::cli {

enum class WebhookFormat { kJson, kAlertmanager };

struct EnforceOptions {
  std::vector<std::string> spec_paths;  // resolved -f (re-read before every run: a pulled change applies)
  PlanningOptions planning;             // parallelism (targets/prune/json do not apply to enforce)
  int per_node = 2;
  exec::RetryPolicy retry;
  std::chrono::seconds every{0};        // --every: 0 runs once
  std::chrono::seconds splay{0};        // --splay: a random delay in [0, splay) before each run
  std::string report, junit, metrics, log;  // output files (log: appended)
  PauseLocation location;               // --state-dir, and pmxcfs's mount point
  bool no_lock = false;                 // --no-lock: API-only, no cluster lock
  std::string webhook_url;              // --webhook
  std::vector<std::string> webhook_headers;  // --webhook-header 'Name: value'
  WebhookFormat webhook_format = WebhookFormat::kJson;
  const std::atomic<bool>* stop = nullptr;   // raised by SIGINT/SIGTERM

  // Seams (main.cc fills them with the real ones).
  transport::EnvLookup env;                               // the session's settings
  std::function<int64_t()> clock;                         // Unix seconds; default: time()
  std::function<void(std::chrono::milliseconds)> wait;    // between runs; default: sleep, waking on stop
  std::chrono::milliseconds lock_wait{2'000};             // asking pmxcfs to expire a dead holder's lock
  int max_runs = 0;                                       // loop: end after this many runs; 0: until stopped
};

// One run: its report, with `consecutive_failures`, `next_run_not_before` and `corrected_total` taken
// from and saved to the state folder. `first` honours a backoff a previous process recorded.
report::RunReport RunEnforceOnce(const EnforceOptions& options, Console& console, bool first);

// Writes the report files, appends the log, calls the webhook. Problems are printed; false when a
// report file could not be written (the webhook's failure is only a warning).
bool PublishReport(const report::RunReport& report, const EnforceOptions& options, std::ostream& err);

// The command: once, or every `every` until stopped. Exit 0: succeeded, skipped, drift only reported
// (and a loop ended by a signal); 1: the (last) run failed or its reports could not be written.
int RunEnforce(const EnforceOptions& options, Console& console);

}  // namespace hainfra::cli
