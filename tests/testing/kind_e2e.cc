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

std::vector<std::string> WorldArgs(const TempDir& dir, const nlohmann::json& world) {
  const std::string path = dir.File("world.json");
  WriteText(path, world.dump(2));
  return {"--world", path};
}

}  // namespace hainfra::testing
