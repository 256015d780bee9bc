#include "sim/pvesim/api_dispatch.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "sim/pvesim/access_store.h"
#include "sim/pvesim/management_access.h"
#include "sim/pvesim/schema_validator.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

constexpr const char* kBase = "/api2/json";

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line;
}

HttpAnswer ErrorAnswer(const ApiError& error) {
  HttpAnswer a;
  a.status = error.status;
  a.reason = FirstLine(error.message);
  // Authentication failures and proxy errors carry no body in pve-http-server.
  if (error.bare) a.body.clear(); else a.body = ErrorJson(error);
  return a;
}

// The events an after-rule sets off once the handler ran: the work is done (and in /etc/pve) before the
// node goes away, quorum is lost or pvesim dies, as when a real node fails right after a commit.
void SetOffAfterEvents(Simulator& sim, const FaultDecision& fault) {
  if (!fault.then_offline.empty() && sim.facts().SetOnline(fault.then_offline, false)) sim.MarkDirty();
  if (fault.then_lose_quorum && sim.facts().SetIsolated(true)) sim.MarkDirty();
  if (fault.then_crash) {
    // A crash after the commit: what pmxcfs and the state file hold survives, the answer does not.
    (void)sim.Flush();
    std::_Exit(75);
  }
}

}  // namespace

std::string EnvelopeJson(const Reply& reply) {
  json env = {{"data", reply.data}};
  if (reply.total) env["total"] = *reply.total;
  if (!reply.changes.is_null()) env["changes"] = reply.changes;
  return env.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ErrorJson(const ApiError& error) {
  json env = {{"data", nullptr}, {"message", error.message}};
  if (!error.errors.empty()) env["errors"] = error.errors;
  return env.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpAnswer DispatchApi(Simulator& sim, const HttpRequestView& request) {
  auto started = std::chrono::steady_clock::now();
  std::string rel = request.path.substr(std::string(kBase).size());
  if (rel.empty()) rel = "/";
  std::string user;
  json logged_params = json::object();

  auto finish = [&](HttpAnswer answer) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    sim.request_log().Record(request.method, rel, logged_params, answer.drop ? 0 : answer.status, ms, user);
    return answer;
  };

  // Faults first: they model the network and the proxy in front of the handler.
  FaultDecision fault = sim.faults().Decide(request.method, rel);
  if (fault.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault.latency_ms));
  if (fault.drop || fault.error) {
    HttpAnswer a = fault.error ? ErrorAnswer(*fault.error) : HttpAnswer{};
    a.drop = fault.drop;
    return finish(a);
  }

  auto route = sim.routes().Find(request.method, rel, sim.pve());
  bool open = route.route && (route.route->flags & kOpen);
  auto caller = sim.auth().Authenticate(request.method, open, request.Header("cookie"),
                                        request.Header("authorization"), request.Header("csrfpreventiontoken"));
  if (!caller) {
    HttpAnswer a = ErrorAnswer(caller.error());
    a.delay_ms = static_cast<int>(sim.options().auth_failure_delay.count());
    return finish(a);
  }
  user = caller->Userid();
  if (!open) {
    if (auto st = CheckCallerEnabled(sim, *caller); !st) {
      HttpAnswer a = ErrorAnswer(st.error());
      a.delay_ms = static_cast<int>(sim.options().auth_failure_delay.count());
      return finish(a);
    }
  }

  auto answer = [&]() -> Result<Reply> {
    auto raw = ExtractParams(request.method, request.Header("content-type"), request.body, request.query);
    if (!raw) return Fail(raw.error());
    Params params(std::move(*raw));
    logged_params = params.Raw();

    const json* info = nullptr;
    std::string path_template;
    if (const ApiSchema* schema = sim.schema()) {
      auto m = schema->Find(request.method, rel);
      if (!m.info) return Raise(501, "Method '" + request.method + " " + rel + "' not implemented");
      info = m.info;
      path_template = m.path_template;
    }
    if (!route.route) {
      if (info) return Raise(501, "Method '" + request.method + " " + rel + "' not implemented (pvesim does not simulate it)");
      return Raise(501, "Method '" + request.method + " " + rel + "' not implemented");
    }
    const Route& r = *route.route;
    for (const auto& [key, value] : route.path_params) {
      if (params.Has(key) && params.Str(key) != value) {
        return ParamError(key, "duplicate parameter (already defined in URI) with conflicting values!");
      }
      params.Set(key, value);
    }
    if (caller->via_token() && (r.flags & kNoToken)) {
      return PermissionError("URI '" + rel + "' not available with API token, need proper ticket.\n");
    }
    if ((r.flags & kRootOnly) && caller->Userid() != "root@pam") return PermissionError("user != root@pam");
    // check_api2_permissions, before proxying and before the parameters are validated (as PVE::HTTPServer).
    if (info && !open) {
      auto perm = info->find("permissions");
      if (auto st = CheckRequestPermissions(sim, request.method, path_template, perm == info->end() ? nullptr : &*perm,
                                            *caller, params.Raw());
          !st) {
        return Fail(st.error());
      }
    }

    std::string local = request.local_node.empty() ? sim.LocalNode() : request.local_node;
    std::string node = local;
    if (r.flags & kProxyNode) {
      std::string target = params.StrOr("node", node);
      if (target != node) {
        auto nodes = sim.facts().Nodes();
        if (std::find(nodes.begin(), nodes.end(), target) == nodes.end()) {
          return Die("hostname lookup '" + target + "' failed - failed to get address info for: " + target +
                     ": Name or service not known");
        }
        if (!sim.facts().Online(target) || ManagementLost(sim.facts(), target)) {
          return Fail(ApiError{595, "No route to host\n", {}, true});
        }
        node = target;
      }
    }
    if (info && info->contains("parameters")) {
      // A form carries an array parameter as repeated keys: one value is a one-element array (the notification
      // targets' `mailto`, a matcher's `target`), as the API server reads it.
      const json& props = (*info)["parameters"].value("properties", json::object());
      for (auto& [key, value] : params.Raw().items()) {
        auto p = props.find(key);
        if (p != props.end() && p->value("type", "") == "array" && !value.is_array()) value = json::array({value});
      }
      auto errors = ValidateParameters(params.Raw(), (*info)["parameters"]);
      if (!errors.empty()) return ParamError(std::move(errors));
    }
    // Booleans reach handlers as 1/0 whatever the client sent (JSON true/false included).
    for (auto& [key, value] : params.Raw().items()) {
      if (value.is_boolean()) value = value.get<bool>() ? "1" : "0";
    }
    Call call{request.method, rel, std::move(params), *caller, node, local, sim};
    try {
      return r.handler(call);
    } catch (const std::exception& e) {
      // A pvesim bug, not a simulated failure: say so (a 500 like a dying PVE handler's).
      return Die(std::string("pvesim internal error: ") + e.what() + "\n");
    }
  }();

  HttpAnswer a;
  if (!answer) {
    a = ErrorAnswer(answer.error());
  } else {
    a.status = 200;
    a.reason = "OK";
    a.body = EnvelopeJson(*answer);
  }
  SetOffAfterEvents(sim, fault);
  if (fault.error_after) a = ErrorAnswer(*fault.error_after);
  if (fault.drop_after) a.drop = true;
  return finish(a);
}

}  // namespace pvesim
