// Fault injection: latency (fixed + jitter), error rates (500/503/596 ...), dropped connections and
// per-path rules for API requests; failures for tasks. Set from flags and changed at run time through
// the control API. Node offline and quorum loss are node facts, not request faults.
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
};

// What happens to one request.
struct FaultDecision {
  int latency_ms = 0;
  bool drop = false;
  std::optional<ApiError> error;
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
  std::optional<std::string> TaskFailure(const std::string& node, const std::string& type, const std::string& id);

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
