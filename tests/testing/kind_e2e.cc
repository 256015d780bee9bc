#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {

std::string ClusterHead() {
  return R"(
cluster:
  name: lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";
}

std::vector<std::string> StepLines(const Plan& plan) {
  std::vector<std::string> out;
  for (const Step& step : plan.steps) {
    if (step.type != StepType::kChange) continue;
    out.push_back(std::string(ActionName(step.change.action)) + " " + step.change.address.ToString());
  }
  return out;
}

std::vector<std::string> ChangedPaths(const Plan& plan, const std::string& address) {
  std::vector<std::string> out;
  for (const Step& step : plan.steps) {
    if (step.type != StepType::kChange || step.change.address.ToString() != address) continue;
    for (const FieldChange& f : step.change.fields) out.push_back(f.path);
  }
  return out;
}

namespace {

std::string NodeOf(size_t index) { return "pve-0" + std::to_string(index % 3 + 1); }

}  // namespace

nlohmann::json GuestWorld(int pve, const std::vector<int>& vmids) {
  nlohmann::json vms = nlohmann::json::array();
  for (size_t i = 0; i < vmids.size(); ++i) {
    vms.push_back({{"vmid", vmids[i]},
                   {"node", NodeOf(i)},
                   {"running", false},
                   {"config", {{"name", "guest" + std::to_string(vmids[i])}, {"cores", 1}, {"memory", 512}}}});
  }
  return {{"pve", pve}, {"vms", vms}};
}

std::string GuestYaml(const std::vector<int>& vmids) {
  // The nodes as pvesim makes them (--mgmt-cidr 10.10.0.0/24: node i at .1i): a guest names its node.
  std::string out = "\nnodes:\n";
  for (int i = 1; i <= 3; ++i) {
    out += "  - { name: pve-0" + std::to_string(i) + ", address: 10.10.0.1" + std::to_string(i) + " }\n";
  }
  out += "vms:\n";
  for (size_t i = 0; i < vmids.size(); ++i) {
    const std::string id = std::to_string(vmids[i]);
    out += "  - { vmid: " + id + ", name: guest" + id + ", node: " + NodeOf(i) + ", cores: 1, memory: 512 }\n";
  }
  return out;
}

std::vector<std::string> WorldArgs(const TempDir& dir, const nlohmann::json& world) {
  const std::string path = dir.File("world.json");
  WriteText(path, world.dump(2));
  return {"--world", path};
}

}  // namespace hainfra::testing
