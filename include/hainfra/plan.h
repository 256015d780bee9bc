// The plan: a DAG of steps. Built by the planner (pure), executed by the executor, read by renderers.
#pragma once

#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/location.h"

namespace hainfra {

enum class StepType {
  kChange,  // apply one Change through its kind
  kCommit,  // a kind's commit after its staged changes (one network reload per node, one SDN apply)
  kGate,    // the health gate between two nodes of a rolling kind
};

struct Step {
  int id = 0;
  StepType type = StepType::kChange;
  Change change;            // kChange: the change; kCommit/kGate: address names the kind and scope
  std::vector<int> deps;    // ids of steps that must succeed first (a failure skips this step)
  int phase = 0;            // kind order: a step starts only when every step of a lower phase has ended
  std::string node;         // the node this step works on or locks ("" when none)
  std::string guest;        // the guest this step locks ("" when none); steps on one guest are serialized
};

struct Plan {
  static constexpr int kFormatVersion = 1;

  std::string spec_hash;
  std::vector<Step> steps;        // topologically ordered, step id == index; NoOp changes are kept out
  std::vector<Change> unchanged;  // objects in the spec that need nothing (for counts and drift output)
  Diagnostics diagnostics;        // refused changes (errors: the plan must not be applied) and warnings

  bool empty() const { return steps.empty(); }
  // Differences dropped by `enforcement.ignore`, over every change and unchanged object.
  size_t ignored_fields() const {
    size_t n = 0;
    for (const Step& s : steps) n += s.change.ignored.size();
    for (const Change& c : unchanged) n += c.ignored.size();
    return n;
  }
};

}  // namespace hainfra
