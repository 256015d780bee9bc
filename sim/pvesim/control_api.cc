#include "sim/pvesim/control_api.h"

#include <thread>

#include "sim/pvesim/api_schema.h"
#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

ControlApi::~ControlApi() {
  std::vector<std::thread> holders;
  {
    std::lock_guard<std::mutex> lock(holders_mu_);
    stopping_ = true;
    holders.swap(holders_);
  }
  holders_cv_.notify_all();
  for (auto& t : holders) t.join();
}

HttpAnswer ControlApi::Handle(const HttpRequestView& request) {
  HttpAnswer a;
  a.content_type = "application/json";
  if (request.Header("authorization") != "Bearer " + token_) {
    a.status = 401;
    a.reason = "control token required";
    a.body = json{{"error", "control token required (Authorization: Bearer $PVESIM_CONTROL_TOKEN)"}}.dump();
    return a;
  }
  json body = json::object();
  if (!request.body.empty()) {
    try {
      body = json::parse(request.body);
    } catch (const json::exception& e) {
      a.status = 400;
      a.body = json{{"error", std::string("body is not JSON: ") + e.what()}}.dump();
      return a;
    }
  }
  auto segs = SplitPath(request.path);
  segs.erase(segs.begin());  // "pvesim"
  auto result = Route(request.method, segs, body, request);
  if (!result) {
    a.status = result.error().status;
    a.reason = result.error().message.substr(0, result.error().message.find('\n'));
    a.body = json{{"error", a.reason}}.dump();
  } else {
    a.status = 200;
    a.body = json{{"data", *result}}.dump();
  }
  return a;
}

Result<json> ControlApi::Route(const std::string& method, const std::vector<std::string>& segs, const json& body,
                              const HttpRequestView& request) {
  auto is = [&](const std::string& m, std::initializer_list<const char*> pattern) {
    if (m != method || segs.size() != pattern.size()) return false;
    size_t i = 0;
    for (const char* p : pattern) {
      if (std::string(p) != "*" && segs[i] != p) return false;
      ++i;
    }
    return true;
  };
  try {
    if (is("GET", {"status"})) {
      ClusterView view = sim_.facts().Cluster();
      json nodes = json::array();
      for (const auto& n : sim_.facts().Nodes()) nodes.push_back({{"node", n}, {"online", sim_.facts().Online(n)}});
      return json{{"pve", sim_.pve()}, {"local_node", sim_.LocalNode()}, {"nodes", nodes},
                  {"quorate", view.quorate}, {"isolated", sim_.facts().Isolated()},
                  {"running_tasks", sim_.tasks().RunningCount()}, {"faults", sim_.faults().ToJson()}};
    }
    if (is("POST", {"nodes", "*", "offline"}) || is("POST", {"nodes", "*", "online"})) {
      auto st = sim_.facts().SetOnline(segs[1], segs[2] == "online");
      if (!st) return Fail(st.error());
      sim_.MarkDirty();
      return json{{"node", segs[1]}, {"online", segs[2] == "online"}};
    }
    if (is("POST", {"quorum", "lose"}) || is("POST", {"quorum", "restore"})) {
      auto st = sim_.facts().SetIsolated(segs[1] == "lose");
      if (!st) return Fail(st.error());
      sim_.MarkDirty();
      return json{{"quorate", sim_.facts().Cluster().quorate}};
    }
    if (is("GET", {"faults"})) return sim_.faults().ToJson();
    if (is("PUT", {"faults"})) {
      if (body.contains("latency_ms") || body.contains("jitter_ms"))
        sim_.faults().SetLatency(body.value("latency_ms", 0), body.value("jitter_ms", 0));
      if (body.contains("drop_rate")) sim_.faults().SetDropRate(body["drop_rate"].get<double>());
      const json rates = body.value("error_rates", json::object());
      for (const auto& [status, rate] : rates.items())
        sim_.faults().SetErrorRate(std::stoi(status), rate.get<double>());
      return sim_.faults().ToJson();
    }
    if (is("DELETE", {"faults"})) {
      sim_.faults().Clear();
      return sim_.faults().ToJson();
    }
    if (is("POST", {"faults", "rules"})) {
      auto id = sim_.faults().AddRule(body);
      if (!id) return Fail(id.error());
      return json{{"id", *id}};
    }
    if (is("DELETE", {"faults", "rules", "*"})) {
      if (!sim_.faults().RemoveRule(segs[2])) return Raise(404, "no such rule '" + segs[2] + "'");
      return json(nullptr);
    }
    if (is("GET", {"requests"})) {
      json q = DecodeForm(request.query);
      size_t limit = q.contains("limit") ? std::stoul(ScalarText(q["limit"])) : 1000;
      return sim_.request_log().Tail(limit);
    }
    if (is("DELETE", {"requests"})) {
      sim_.request_log().Clear();
      return json(nullptr);
    }
    if (is("POST", {"locks", "*"})) {
      // Holds a guest's config lock in the background, as a long task would.
      int vmid = std::stoi(segs[1]);
      int ms = body.value("ms", 1000);
      auto guard = sim_.guest_locks().Acquire(vmid, std::chrono::milliseconds(0));
      if (!guard) return Fail(guard.error());
      auto held = std::make_shared<GuestLocks::Guard>(std::move(*guard));
      std::lock_guard<std::mutex> lock(holders_mu_);
      if (stopping_) return Raise(503, "shutting down");
      holders_.emplace_back([this, held, ms]() mutable {
        std::unique_lock<std::mutex> wait(holders_mu_);
        holders_cv_.wait_for(wait, std::chrono::milliseconds(ms), [this] { return stopping_; });
        wait.unlock();
        held.reset();  // releases the lock
      });
      return json{{"vmid", vmid}, {"held_ms", ms}};
    }
    if (is("PUT", {"nodes", "*", "packages", "*"})) {
      auto st = sim_.facts().SetPackageVersion(segs[1], segs[3], body.value("version", ""));
      if (!st) return Fail(st.error());
      sim_.MarkDirty();
      return json{{"node", segs[1]}, {"package", segs[3]}, {"version", body.value("version", "")}};
    }
    if ((method == "GET" || method == "PUT") && segs.size() >= 2 && segs[0] == "files") {
      std::string path;
      for (size_t i = 1; i < segs.size(); ++i) path += (i > 1 ? "/" : "") + segs[i];
      if (method == "PUT") {
        auto st = sim_.fs().Write(path, body.value("content", ""));
        if (!st) return Fail(st.error());
        return json{{"path", path}};
      }
      auto content = sim_.fs().Read(path);
      if (!content) return Raise(404, "no such file '/etc/pve/" + path + "'");
      return json{{"path", path}, {"content", *content}};
    }
    if (is("POST", {"flush"})) {
      auto st = sim_.Flush();
      if (!st) return Fail(st.error());
      return json(nullptr);
    }
  } catch (const std::exception& e) {
    return Raise(400, std::string("bad request: ") + e.what());
  }
  return Raise(404, "no such control endpoint: " + method + " " + request.path);
}

}  // namespace pvesim
