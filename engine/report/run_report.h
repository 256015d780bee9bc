// What one `hainfra enforce` run did, as data (the report), and its renderings: the JSON report
// (docs/enforce-report.md), a JSON-lines log entry, JUnit XML, Prometheus textfile metrics, and webhook
// bodies (Alertmanager v2 alerts, or a generic JSON event). Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/value.h"

namespace hainfra::report {

enum class Outcome {
  kSucceeded,  // no drift, or every drifted object corrected
  kDrift,      // drift remains, withheld by the policy (warn mode, window, limits): reported, not a failure
  kSkipped,    // did not act: paused, lock held elsewhere, cluster unhealthy, backing off, interrupted
  kFailed,     // an error: the spec, the connection, the plan, a step
};

// "succeeded", "drift", "skipped", "failed".
std::string OutcomeName(Outcome outcome);

// "2026-12-07T15:30:00Z" (UTC).
std::string Rfc3339(int64_t unix_seconds);

struct Runner {
  std::string host;
  std::string user;
  int64_t pid = 0;
  std::string ci_job_url;  // HAINFRA_CI_JOB_URL, CI_JOB_URL, or GitHub's server/repository/actions/runs/id
};

struct DriftedObject {
  Address address;
  Action action = Action::kNoOp;
  std::string reason;               // the plan's reason, for display
  std::vector<std::string> fields;  // field paths that differ ("cores", "nets[net0].tag")
};

struct WithheldChange {
  Address address;
  Action action = Action::kNoOp;
  std::string reason;  // why it did not run ("warn mode (vm tagged k8s)")
};

struct FailedStep {
  std::string step;   // "vm/100", "commit network on pve-01"
  std::string error;
};

struct PauseInfo {
  bool paused = false;
  std::string reason;
  std::string by;
  int64_t until = 0;   // 0: until `hainfra resume`
  std::string where;   // where the record lives
};

struct RunReport {
  static constexpr int kVersion = 1;

  std::string run_id;
  std::string cluster;          // the spec's cluster name (empty when none or the spec did not load)
  std::string spec_hash;
  int64_t started = 0;          // Unix seconds
  double duration_seconds = 0;
  Runner runner;
  Outcome outcome = Outcome::kSucceeded;
  std::string reason;           // skipped / failed: why; empty otherwise

  std::vector<std::string> kinds;          // every kind checked (metrics show zeros for them)
  size_t objects = 0;                      // objects of the spec checked (changed + unchanged)
  std::vector<DriftedObject> drifted;      // every change of the plan
  std::vector<Address> corrected;          // changes applied successfully in this run
  std::vector<WithheldChange> withheld;    // changes not applied, with why
  std::vector<FailedStep> failures;        // steps that failed (root causes), or skipped because of them
  bool window_open = true;
  std::string window_note;
  int64_t ignored_fields = 0;              // fields the `enforcement.ignore` rules left out of the plan

  PauseInfo pause;
  int consecutive_failures = 0;            // including this run when it failed
  int64_t next_run_not_before = 0;         // backing off: no run before this (Unix seconds); 0: none
  int64_t corrected_total = 0;             // corrected objects over every run of this state folder
};

// The JSON report (docs/enforce-report.md), `version` = RunReport::kVersion.
Value ReportJson(const RunReport& report);

// One JSON-lines log entry: the report without field-level details.
std::string LogLine(const RunReport& report);

// JUnit XML: one testcase for the run (failed / skipped), one per drifted object (corrected: passed;
// withheld: failure with the reason; failed: error).
std::string ReportJUnit(const RunReport& report);

// Prometheus textfile metrics (hainfra_last_run_success, ..., hainfra_consecutive_failures).
std::string ReportMetrics(const RunReport& report);

// The two metrics every run command writes, also when it fails before it has a plan:
// hainfra_last_run_success and hainfra_last_run_timestamp_seconds.
std::string LastRunMetrics(bool success, int64_t timestamp);

// Which events a run raises for a webhook: "failure", "drift", "correction" (none for a clean run or a skip).
std::vector<std::string> WebhookEvents(const RunReport& report);

// Alertmanager v2 (POST /api/v2/alerts): one alert per event, labelled alertname/cluster/severity/runner,
// ending at `ends_at` (Unix seconds) unless a later run sends it again.
Value AlertmanagerBody(const RunReport& report, int64_t ends_at);

// A generic JSON event: {"version", "events": [...], "summary": <the log entry>}.
Value GenericWebhookBody(const RunReport& report);

}  // namespace hainfra::report
