#include "engine/planfile/plan_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/plan/fingerprint.h"
#include "engine/planfile/atomic_write.h"
#include "engine/planfile/plan_json.h"

namespace hainfra::planfile {

Status WritePlanFile(const Plan& plan, const std::string& path) {
  if (HasErrors(plan.diagnostics)) {
    return Fail(Code::kFailedPrecondition, path + ": not written: the plan has errors");
  }
  return WriteFileAtomically(path, PlanToJson(plan).dump(2) + "\n", 0600);
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, path + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Value json = Value::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Fail(Code::kInvalidArgument, path + ": not valid JSON");
  Result<Plan> plan = PlanFromJson(json);
  if (!plan) return Fail(WithContext(plan.error(), path));
  return plan;
}

Status CheckFresh(const Plan& saved, const std::string& spec_hash, const std::vector<plan::KindState>& observed) {
  std::vector<std::string> problems;
  if (saved.spec_hash != spec_hash) problems.push_back("the spec changed since the plan was made");
  std::map<Address, std::string> now;
  for (const plan::KindState& kind : observed) {
    for (const Observed& o : kind.observed) now.emplace(o.address, plan::VersionOf(o));
  }
  std::vector<std::string> changed;
  for (const Step& step : saved.steps) {
    if (step.type != StepType::kChange) continue;
    const Change& c = step.change;
    auto it = now.find(c.address);
    if (c.action == Action::kCreate) {
      if (it != now.end()) changed.push_back(c.address.ToString() + " (now exists)");
    } else if (it == now.end()) {
      changed.push_back(c.address.ToString() + " (gone)");
    } else if (it->second != c.version) {
      changed.push_back(c.address.ToString() + " (version " + c.version + " -> " + it->second + ")");
    }
  }
  if (!changed.empty()) {
    std::string list;
    for (const std::string& c : changed) list += (list.empty() ? "" : ", ") + c;
    problems.push_back("objects changed in the cluster since the plan was made: " + list);
  }
  if (problems.empty()) return Ok();
  std::string message = "the saved plan is stale: ";
  for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
  return Fail(Code::kFailedPrecondition, message + ". Make a new plan.");
}

}  // namespace hainfra::planfile
