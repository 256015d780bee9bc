#include "sim/pvesim/simulator.h"

#include "sim/pvesim/access_store.h"

namespace pvesim {

using json = nlohmann::json;

Simulator::Simulator(Options options, Backends backends, std::unique_ptr<ApiSchema> schema, Credentials credentials,
                     RuntimeState runtime, std::string state_file, std::string fingerprint)
    : options_(std::move(options)),
      backends_(std::move(backends)),
      schema_(std::move(schema)),
      auth_(std::move(credentials)),
      fingerprint_(std::move(fingerprint)),
      faults_(options_.seed),
      request_log_(options_.request_log),
      guest_locks_(options_.lock_timeout),
      runtime_(std::move(runtime)),
      store_(std::move(state_file), [this] { return Snapshot(); }),
      tasks_([this](const std::string& node, const std::string& type, const std::string& id) {
        auto it = options_.task_durations.find(type);
        auto duration = it == options_.task_durations.end() ? options_.task_duration : it->second;
        TaskFault fault = faults_.ForTask(node, type, id);
        if (fault.duration_ms) duration = std::chrono::milliseconds(*fault.duration_ms);
        return std::make_pair(duration, fault.failure);
      }) {
  RegisterAllRoutes(routes_);
  auth_.SetTokenSecretLookup([this](const std::string& tokenid) -> std::optional<std::string> {
    auto secrets = ReadTokenSecrets(*this);
    auto it = secrets.find(tokenid);
    if (it == secrets.end()) return std::nullopt;
    return it->second;
  });
}

Simulator::~Simulator() {
  tasks_.WaitIdle(std::chrono::seconds(30));
  (void)store_.Flush();
}

json Simulator::Snapshot() {
  json runtime;
  {
    std::lock_guard<std::mutex> lock(mu_);
    runtime = runtime_.ToJson();
  }
  return {{"format", 1},
          {"pve", options_.pve},
          {"local_node", backends_.facts->LocalNode()},
          {"credentials", auth_.credentials().ToJson()},
          {"runtime", runtime},
          {"facts", backends_.facts->SaveState()}};
}

}  // namespace pvesim
