#include "tests/testing/scripted_runner.h"

#include <algorithm>
#include <thread>

namespace hainfra::testing {

Status ScriptedRunner::Run(const Step& step) {
  Status result = Ok();
  {
    std::lock_guard lock(mu_);
    started_.push_back(step.id);
    max_.total = std::max(max_.total, ++running_);
    if (!step.node.empty()) max_.per_node = std::max(max_.per_node, ++node_running_[step.node]);
    if (!step.guest.empty()) max_.per_guest = std::max(max_.per_guest, ++guest_running_[step.guest]);
    auto it = script_.find(step.id);
    if (it != script_.end() && !it->second.empty()) {
      result = it->second.front();
      it->second.pop_front();
    }
  }
  if (on_start) on_start(step);
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  std::lock_guard lock(mu_);
  --running_;
  if (!step.node.empty()) --node_running_[step.node];
  if (!step.guest.empty()) --guest_running_[step.guest];
  ended_.push_back(step.id);
  return result;
}

void ScriptedRunner::Script(int id, std::vector<Status> results) {
  std::lock_guard lock(mu_);
  for (Status& s : results) script_[id].push_back(std::move(s));
}

Concurrency ScriptedRunner::Max() const {
  std::lock_guard lock(mu_);
  return max_;
}

std::vector<int> ScriptedRunner::Started() const {
  std::lock_guard lock(mu_);
  return started_;
}

std::vector<int> ScriptedRunner::Ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

int ScriptedRunner::Runs(int id) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count(started_.begin(), started_.end(), id));
}

Step MakeStep(int id, std::vector<int> deps, std::string node, std::string guest, int phase) {
  Step step;
  step.id = id;
  step.deps = std::move(deps);
  step.node = std::move(node);
  step.guest = std::move(guest);
  step.phase = phase;
  step.change.address = {"step", std::to_string(id)};
  step.change.action = Action::kUpdate;
  return step;
}

Plan MakePlan(std::vector<Step> steps) {
  Plan plan;
  plan.steps = std::move(steps);
  return plan;
}

}  // namespace hainfra::testing
