#include "engine/plan/dag.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

namespace hainfra::plan {
namespace {

// The dependency cycle through the unplaced steps, starting the search at `start`; empty when the
// unplaced steps hold no cycle of dependencies alone (then the phase order closes it).
std::vector<int> FindDependencyCycle(const std::vector<Step>& steps, const std::vector<bool>& placed, int start) {
  enum Color { kWhite, kGrey, kBlack };
  std::vector<Color> color(steps.size(), kWhite);
  std::vector<int> stack;
  std::vector<int> cycle;
  // Iterative DFS: (step, next dep index) frames, so deep chains cannot overflow the stack.
  std::vector<std::pair<int, size_t>> frames{{start, 0}};
  color[start] = kGrey;
  stack.push_back(start);
  while (!frames.empty() && cycle.empty()) {
    auto& [node, next] = frames.back();
    const std::vector<int>& deps = steps[node].deps;
    if (next == deps.size()) {
      color[node] = kBlack;
      stack.pop_back();
      frames.pop_back();
      continue;
    }
    const int dep = deps[next++];
    if (placed[dep] || color[dep] == kBlack) continue;
    if (color[dep] == kGrey) {
      auto from = std::find(stack.begin(), stack.end(), dep);
      cycle.assign(from, stack.end());
      cycle.push_back(dep);
      break;
    }
    color[dep] = kGrey;
    stack.push_back(dep);
    frames.push_back({dep, 0});
  }
  return cycle;
}

std::string CycleText(const std::vector<Step>& steps, const std::vector<int>& cycle) {
  std::string text = "dependency cycle: ";
  for (size_t i = 0; i < cycle.size(); ++i) text += (i ? " -> " : "") + StepName(steps[cycle[i]]);
  return text;
}

// A step of `phase` waits for a step of a later phase: follow the waits until one leaves the phase.
std::string PhaseCycleText(const std::vector<Step>& steps, const std::vector<bool>& placed, int start) {
  std::vector<int> path{start};
  int node = start;
  for (size_t guard = 0; guard <= steps.size(); ++guard) {
    int later = -1, same = -1;
    for (int dep : steps[node].deps) {
      if (placed[dep]) continue;
      if (steps[dep].phase == steps[start].phase) same = dep;
      else if (later < 0) later = dep;
    }
    if (later >= 0) {
      path.push_back(later);
      path.push_back(start);
      return CycleText(steps, path) + " (kind order: " + steps[later].change.address.kind + " runs after " +
             steps[start].change.address.kind + ")";
    }
    if (same < 0) break;
    path.push_back(same);
    node = same;
  }
  return "dependency cycle through " + StepName(steps[start]);
}

}  // namespace

std::string StepName(const Step& step) {
  const std::string& kind = step.change.address.kind;
  switch (step.type) {
    case StepType::kChange:
      return step.change.address.ToString();
    case StepType::kCommit:
      return step.node.empty() ? "commit " + kind : "commit " + kind + " on " + step.node;
    case StepType::kGate:
      return "health gate after " + step.node;
  }
  return step.change.address.ToString();
}

Status OrderSteps(std::vector<Step>& steps) {
  const int n = static_cast<int>(steps.size());
  std::vector<std::vector<int>> dependents(n);
  std::vector<size_t> waiting(n, 0);
  std::map<int, std::vector<int>> by_phase;
  for (int i = 0; i < n; ++i) {
    auto& deps = steps[i].deps;
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    waiting[i] = deps.size();
    for (int dep : deps) dependents[dep].push_back(i);
    by_phase[steps[i].phase].push_back(i);
  }

  std::vector<int> order;
  order.reserve(n);
  std::vector<bool> placed(n, false);
  for (const auto& [phase, members] : by_phase) {
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i : members) {
      if (waiting[i] == 0) ready.push(i);
    }
    size_t done = 0;
    while (!ready.empty()) {
      const int i = ready.top();
      ready.pop();
      placed[i] = true;
      order.push_back(i);
      ++done;
      for (int d : dependents[i]) {
        if (--waiting[d] == 0 && steps[d].phase == phase) ready.push(d);
      }
    }
    if (done == members.size()) continue;
    int stuck = -1;
    for (int i : members) {
      if (!placed[i]) { stuck = i; break; }
    }
    std::vector<int> cycle = FindDependencyCycle(steps, placed, stuck);
    return Fail(Code::kFailedPrecondition,
                cycle.empty() ? PhaseCycleText(steps, placed, stuck) : CycleText(steps, cycle));
  }

  std::vector<int> position(n);
  for (int pos = 0; pos < n; ++pos) position[order[pos]] = pos;
  std::vector<Step> sorted;
  sorted.reserve(n);
  for (int old : order) {
    Step step = std::move(steps[old]);
    step.id = position[old];
    for (int& dep : step.deps) dep = position[dep];
    std::sort(step.deps.begin(), step.deps.end());
    sorted.push_back(std::move(step));
  }
  steps = std::move(sorted);
  return Ok();
}

}  // namespace hainfra::plan
