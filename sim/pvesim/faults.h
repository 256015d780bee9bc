// Fault injection: latency (fixed + jitter), error rates (500/503/596 ...), dropped connections and
// per-path rules for API requests — before the handler (the request never reached Proxmox) or after it
// (Proxmox did the work, the answer is lost) — with events a matching request sets off (a node goes
// offline, quorum is lost, pvesim crashes); failures and hangs for tasks. Set from flags and changed at run
// time through the control API. Node offline and quorum loss themselves are node facts, not request faults.
#pragma once

#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

struct RequestFaultRule {
  std::string id;
  std::string method;      // empty: any
  std::string path;        // ECMAScript regex searched in the path below /api2/json; empty: any
  int latency_ms = 0;
  int jitter_ms = 0;
  int status = 0;          // error status to answer (0: none)
  std::string message;     // message of the injected error
  double rate = 1.0;       // probability per matching request
  bool drop = false;       // close the connection without an answer
  int remaining = -1;      // matching requests it still applies to; -1: unlimited
  bool after = false;      // status/drop replace the answer after the handler ran (the work is done)
  std::string then_offline;   // after the handler ran: this node goes offline
  bool then_lose_quorum = false;  // after the handler ran: the local node loses quorum
  bool then_crash = false;    // after the handler ran: state written, pvesim exits without answering
  std::regex path_re;
};

struct TaskFaultRule {
  std::string id;
  std::string type;        // task type (qmstart, qmcreate, ...); empty: any
  std::string task_id;     // e.g. the vmid; empty: any
  std::string node;        // empty: any
  std::string message = "simulated task failure (pvesim)";
  double rate = 1.0;
  int remaining = -1;
  int duration_ms = -1;    // >= 0: the task runs this long (a hang past a client's timeout); -1: as configured
  bool fail = true;        // false: only the duration changes (a rule with duration_ms and no message)
};

// What happens to one task: its duration (nullopt: as configured) and an injected failure.
struct TaskFault {
  std::optional<int> duration_ms;
  std::optional<std::string> failure;
};

// What happens to one request: before the handler (latency, drop, error: the handler never runs), and
// after it (the handler's answer replaced by a drop or an error; events set off).
struct FaultDecision {
  int latency_ms = 0;
  bool drop = false;
  std::optional<ApiError> error;
  bool drop_after = false;
  std::optional<ApiError> error_after;
  std::string then_offline;
  bool then_lose_quorum = false;
  bool then_crash = false;
};

class Faults {
 public:
  explicit Faults(unsigned seed);

  void SetLatency(int ms, int jitter_ms);
  void SetErrorRate(int status, double rate);
  void SetDropRate(double rate);
  // Adds a rule from its JSON (request rule, or task rule when it has "task": {...}); returns its id.
  Result<std::string> AddRule(const nlohmann::json& rule);
  bool RemoveRule(const std::string& id);
  void Clear();

  FaultDecision Decide(const std::string& method, const std::string& path);
  TaskFault ForTask(const std::string& node, const std::string& type, const std::string& id);
  std::optional<std::string> TaskFailure(const std::string& node, const std::string& type, const std::string& id) {
    return ForTask(node, type, id).failure;
  }

  nlohmann::json ToJson() const;

 private:
  bool Chance(double rate);

  mutable std::mutex mu_;
  std::mt19937 rng_;
  int latency_ms_ = 0, jitter_ms_ = 0;
  std::vector<std::pair<int, double>> error_rates_;
  double drop_rate_ = 0;
  std::vector<RequestFaultRule> rules_;
  std::vector<TaskFaultRule> task_rules_;
  int next_id_ = 1;
};

// The message Proxmox clients see for an injected status (AnyEvent::HTTP's 59x texts for proxy errors).
std::string DefaultFaultMessage(int status);

}  // namespace pvesim
