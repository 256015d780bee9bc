#include "sim/pvesim/faults.h"

#include <algorithm>

#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

std::string DefaultFaultMessage(int status) {
  switch (status) {
    case 500: return "injected internal error (pvesim)";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 429: return "Too Many Requests";
    case 504: return "Gateway Timeout";
    case 595: return "No route to host";          // AnyEvent::HTTP: connection establishment failed
    case 596: return "Connection reset by peer";  // AnyEvent::HTTP: error during request/header processing
    case 599: return "Connection timed out";
    default: return "injected error (pvesim)";
  }
}

Faults::Faults(unsigned seed) : rng_(seed ? seed : std::random_device{}()) {}

bool Faults::Chance(double rate) {
  if (rate >= 1.0) return true;
  if (rate <= 0.0) return false;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < rate;
}

void Faults::SetLatency(int ms, int jitter_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  latency_ms_ = std::max(0, ms);
  jitter_ms_ = std::max(0, jitter_ms);
}

void Faults::SetErrorRate(int status, double rate) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(error_rates_, [&](const auto& e) { return e.first == status; });
  if (rate > 0) error_rates_.emplace_back(status, rate);
}

void Faults::SetDropRate(double rate) {
  std::lock_guard<std::mutex> lock(mu_);
  drop_rate_ = rate;
}

Result<std::string> Faults::AddRule(const json& rule) {
  if (!rule.is_object()) return Raise(400, "a fault rule is a JSON object");
  double rate = rule.value("rate", 1.0);
  if (rate < 0 || rate > 1) return Raise(400, "rate must be between 0 and 1");
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = rule.value("id", "rule-" + std::to_string(next_id_++));
  try {
    if (rule.contains("task")) {
      const json& t = rule["task"];
      TaskFaultRule r;
      r.id = id;
      r.type = t.value("type", "");
      r.task_id = t.contains("id") ? ScalarText(t["id"]) : "";
      r.node = t.value("node", "");
      r.message = rule.value("message", r.message);
      r.rate = rate;
      r.remaining = rule.value("count", -1);
      r.duration_ms = rule.value("duration_ms", -1);
      r.fail = rule.contains("message") || r.duration_ms < 0;
      task_rules_.push_back(r);
      return id;
    }
    RequestFaultRule r;
    r.id = id;
    r.method = rule.value("method", "");
    r.path = rule.value("path", "");
    r.path_re = std::regex(r.path.empty() ? std::string(".*") : r.path);
    r.latency_ms = rule.value("latency_ms", 0);
    r.jitter_ms = rule.value("jitter_ms", 0);
    r.status = rule.value("status", 0);
    r.drop = rule.value("drop", false);
    r.message = rule.value("message", r.status ? DefaultFaultMessage(r.status) : "");
    r.rate = rate;
    r.remaining = rule.value("count", -1);
    r.after = rule.value("after", false);
    if (rule.contains("then")) {
      const json& then = rule["then"];
      if (!then.is_object()) return Raise(400, "then is an object: {\"offline\": NODE, \"lose_quorum\": true, \"crash\": true}");
      r.then_offline = then.value("offline", "");
      r.then_lose_quorum = then.value("lose_quorum", false);
      r.then_crash = then.value("crash", false);
    }
    if (r.after && r.status == 0 && !r.drop) return Raise(400, "an after rule needs a status or drop");
    if (r.status != 0 && (r.status < 400 || r.status > 599)) return Raise(400, "status must be 400..599");
    rules_.push_back(std::move(r));
  } catch (const std::regex_error& e) {
    return Raise(400, std::string("bad path regex: ") + e.what());
  } catch (const json::exception& e) {
    return Raise(400, std::string("bad rule: ") + e.what());
  }
  return id;
}

bool Faults::RemoveRule(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = std::erase_if(rules_, [&](const auto& r) { return r.id == id; });
  n += std::erase_if(task_rules_, [&](const auto& r) { return r.id == id; });
  return n > 0;
}

void Faults::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  latency_ms_ = jitter_ms_ = 0;
  error_rates_.clear();
  drop_rate_ = 0;
  rules_.clear();
  task_rules_.clear();
}

FaultDecision Faults::Decide(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  FaultDecision d;
  d.latency_ms = latency_ms_;
  if (jitter_ms_ > 0) d.latency_ms += std::uniform_int_distribution<int>(0, jitter_ms_)(rng_);
  for (auto& r : rules_) {
    if (r.remaining == 0) continue;
    if (!r.method.empty() && r.method != method) continue;
    if (!std::regex_search(path, r.path_re)) continue;
    if (!Chance(r.rate)) continue;
    if (r.remaining > 0) --r.remaining;
    d.latency_ms += r.latency_ms;
    if (r.jitter_ms > 0) d.latency_ms += std::uniform_int_distribution<int>(0, r.jitter_ms)(rng_);
    if (!r.then_offline.empty()) d.then_offline = r.then_offline;
    d.then_lose_quorum = d.then_lose_quorum || r.then_lose_quorum;
    d.then_crash = d.then_crash || r.then_crash;
    bool& drop = r.after ? d.drop_after : d.drop;
    std::optional<ApiError>& error = r.after ? d.error_after : d.error;
    if (r.drop) drop = true;
    if (r.status && !error) error = ApiError{r.status, WithNewline(r.message), {}, r.status >= 595};
  }
  if (!d.drop && Chance(drop_rate_)) d.drop = true;
  if (!d.error) {
    for (const auto& [status, rate] : error_rates_) {
      if (Chance(rate)) {
        d.error = ApiError{status, WithNewline(DefaultFaultMessage(status)), {}, status >= 595};
        break;
      }
    }
  }
  return d;
}

TaskFault Faults::ForTask(const std::string& node, const std::string& type, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  TaskFault fault;
  for (auto& r : task_rules_) {
    if (r.remaining == 0) continue;
    if (!r.type.empty() && r.type != type) continue;
    if (!r.task_id.empty() && r.task_id != id) continue;
    if (!r.node.empty() && r.node != node) continue;
    if (!Chance(r.rate)) continue;
    if (r.remaining > 0) --r.remaining;
    if (r.duration_ms >= 0 && !fault.duration_ms) fault.duration_ms = r.duration_ms;
    if (r.fail && !fault.failure) fault.failure = r.message;
  }
  return fault;
}

json Faults::ToJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  json rates = json::object();
  for (const auto& [status, rate] : error_rates_) rates[std::to_string(status)] = rate;
  json rules = json::array();
  for (const auto& r : rules_) {
    rules.push_back({{"id", r.id}, {"method", r.method}, {"path", r.path}, {"latency_ms", r.latency_ms},
                     {"jitter_ms", r.jitter_ms}, {"status", r.status}, {"message", r.message}, {"rate", r.rate},
                     {"drop", r.drop}, {"count", r.remaining}, {"after", r.after},
                     {"then", {{"offline", r.then_offline}, {"lose_quorum", r.then_lose_quorum},
                               {"crash", r.then_crash}}}});
  }
  for (const auto& r : task_rules_) {
    rules.push_back({{"id", r.id}, {"task", {{"type", r.type}, {"id", r.task_id}, {"node", r.node}}},
                     {"message", r.message}, {"rate", r.rate}, {"count", r.remaining},
                     {"duration_ms", r.duration_ms}});
  }
  return {{"latency_ms", latency_ms_}, {"jitter_ms", jitter_ms_}, {"error_rates", rates},
          {"drop_rate", drop_rate_}, {"rules", rules}};
}

}  // namespace pvesim
