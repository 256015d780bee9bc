#include "engine/plan/planner.h"

#include <algorithm>
#include <deque>
#include <map>

#include "engine/plan/dag.h"
#include "engine/plan/diff.h"

namespace hainfra::plan {
namespace {

// A change on its way to becoming a step.
struct Pending {
  size_t kind = 0;           // index into the KindStates
  Change change;
  StepScope scope;
  std::vector<Address> refs;  // what it depends on (desired body; observed body for deletes)
  std::vector<int> deps;      // indexes of other Pendings that must succeed first
  bool forward() const { return change.action != Action::kDelete; }
};

struct Collected {
  std::vector<Pending> pending;
  std::vector<Change> unchanged;
  // Every wanted desired object's references, to refuse deleting what the spec still uses.
  std::vector<std::pair<const Resource*, std::vector<Address>>> uses;
  // Observed references of objects that change, to delete a referenced object after its users.
  std::vector<std::pair<size_t, std::vector<Address>>> observed_uses;
  std::set<Address> known;  // every address in the spec or the cluster (to validate --target)
};

Result<Collected> Collect(const std::vector<KindState>& kinds, const PlanRequest& request, Diagnostics& diagnostics) {
  Collected out;
  for (size_t k = 0; k < kinds.size(); ++k) {
    const KindState& state = kinds[k];
    const ResourceKind& kind = *state.kind;
    std::map<Address, const Observed*> observed;
    for (const Observed& o : state.observed) {
      if (!observed.emplace(o.address, &o).second) {
        return Fail(Code::kInternal, "kind " + kind.traits().name + " observed " + o.address.ToString() + " twice");
      }
      out.known.insert(o.address);
    }
    std::set<Address> declared;
    DiffOptions options{request.prune.contains(kind.traits().name), &request.ignore};
    auto add = [&](const Resource* desired, const Observed* seen) {
      Change change = Diff(kind, desired, seen, options, diagnostics);
      if (desired != nullptr && !desired->absent) {
        out.uses.emplace_back(desired, kind.References(change.after));
      }
      if (change.action == Action::kNoOp) {
        if (desired != nullptr) out.unchanged.push_back(std::move(change));
        return;
      }
      Pending p;
      p.kind = k;
      const Value& body = change.action == Action::kDelete ? change.before : change.after;
      p.scope = kind.Scope(body);
      p.refs = kind.References(body);
      if (seen != nullptr && change.action != Action::kDelete) {
        out.observed_uses.emplace_back(out.pending.size(), kind.References(change.before));
      } else if (change.action == Action::kDelete) {
        out.observed_uses.emplace_back(out.pending.size(), p.refs);
      }
      p.change = std::move(change);
      out.pending.push_back(std::move(p));
    };
    for (const Resource& desired : state.desired) {
      if (!declared.insert(desired.address).second) {
        return Fail(Code::kInvalidArgument, desired.where.ToString() + ": " + desired.address.ToString() +
                                                " is declared twice");
      }
      out.known.insert(desired.address);
      auto it = observed.find(desired.address);
      add(&desired, it == observed.end() ? nullptr : it->second);
    }
    for (const Observed& o : state.observed) {
      if (!declared.contains(o.address)) add(nullptr, &o);
    }
  }
  return out;
}

// Reference edges. A forward change waits for the forward changes of what it references; a delete
// waits for every change of an object that referenced it before (which drops the reference).
void LinkReferences(Collected& c, Diagnostics& diagnostics) {
  std::map<Address, int> index;
  for (size_t i = 0; i < c.pending.size(); ++i) index.emplace(c.pending[i].change.address, static_cast<int>(i));
  for (auto& p : c.pending) {
    if (!p.forward()) continue;
    for (const Address& ref : p.refs) {
      auto it = index.find(ref);
      if (it != index.end() && c.pending[it->second].forward()) p.deps.push_back(it->second);
    }
  }
  for (const auto& [user, refs] : c.observed_uses) {
    for (const Address& ref : refs) {
      auto it = index.find(ref);
      if (it == index.end() || c.pending[it->second].forward() || it->second == static_cast<int>(user)) continue;
      c.pending[it->second].deps.push_back(static_cast<int>(user));
    }
  }
  for (const auto& [resource, refs] : c.uses) {
    for (const Address& ref : refs) {
      auto it = index.find(ref);
      if (it == index.end() || c.pending[it->second].forward()) continue;
      diagnostics.push_back({Severity::kError, resource->where, "",
                             resource->address.ToString() + " uses " + ref.ToString() +
                                 ", which this plan deletes"});
    }
  }
}

// --target: keep the targeted changes and, transitively, what they depend on.
Status SelectTargets(Collected& c, const std::vector<Address>& targets) {
  if (targets.empty()) return Ok();
  for (const Address& t : targets) {
    if (!c.known.contains(t)) {
      return Fail(Code::kInvalidArgument, "--target " + t.ToString() + " matches nothing in the spec or the cluster");
    }
  }
  const std::set<Address> wanted(targets.begin(), targets.end());
  std::vector<bool> keep(c.pending.size(), false);
  std::deque<int> queue;
  for (size_t i = 0; i < c.pending.size(); ++i) {
    if (wanted.contains(c.pending[i].change.address)) queue.push_back(static_cast<int>(i));
  }
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop_front();
    if (keep[i]) continue;
    keep[i] = true;
    for (int dep : c.pending[i].deps) queue.push_back(dep);
  }
  std::vector<int> renumber(c.pending.size(), -1);
  std::vector<Pending> kept;
  for (size_t i = 0; i < c.pending.size(); ++i) {
    if (!keep[i]) continue;
    renumber[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(c.pending[i]));
  }
  for (Pending& p : kept) {
    for (int& dep : p.deps) dep = renumber[dep];
  }
  c.pending = std::move(kept);
  std::erase_if(c.unchanged, [&](const Change& ch) { return !wanted.contains(ch.address); });
  return Ok();
}

// Lays out the steps of one kind in one direction: its changes, one commit per node (or one for the
// kind), and for rolling kinds one node after the other with a health gate in between.
class StepBuilder {
 public:
  explicit StepBuilder(std::vector<Step>& steps) : steps_(steps) {}

  void AddGroup(const KindTraits& traits, int phase, const std::vector<int>& members, std::vector<Pending>& pending,
                std::vector<int>& step_of) {
    std::map<std::string, std::vector<int>> by_node;  // node -> step ids (sorted by node name)
    for (int m : members) {
      Step step;
      step.id = static_cast<int>(steps_.size());
      step.type = StepType::kChange;
      step.phase = phase;
      step.node = pending[m].scope.node;
      step.guest = pending[m].scope.guest;
      step.change = std::move(pending[m].change);
      step_of[m] = step.id;
      by_node[step.node].push_back(step.id);
      steps_.push_back(std::move(step));
    }
    if (members.empty()) return;
    if (traits.commit == CommitScope::kGlobal) {
      std::vector<int> all;
      for (const auto& [node, ids] : by_node) all.insert(all.end(), ids.begin(), ids.end());
      AddSpecial(StepType::kCommit, traits.name, "", phase, all);
    } else if (traits.commit == CommitScope::kPerNode) {
      for (auto& [node, ids] : by_node) ids.push_back(AddSpecial(StepType::kCommit, traits.name, node, phase, ids));
    }
    if (!traits.rolling) return;
    int gate = -1;
    for (auto it = by_node.begin(); it != by_node.end(); ++it) {
      if (gate >= 0) {
        for (int id : it->second) steps_[id].deps.push_back(gate);
      }
      if (std::next(it) != by_node.end()) gate = AddSpecial(StepType::kGate, traits.name, it->first, phase, it->second);
    }
  }

 private:
  int AddSpecial(StepType type, const std::string& kind, const std::string& node, int phase, std::vector<int> deps) {
    Step step;
    step.id = static_cast<int>(steps_.size());
    step.type = type;
    step.phase = phase;
    step.node = node;
    step.change.address = {kind, node};
    step.deps = std::move(deps);
    steps_.push_back(std::move(step));
    return steps_.back().id;
  }

  std::vector<Step>& steps_;
};

}  // namespace

Result<Plan> BuildPlan(const std::vector<KindState>& kinds, const PlanRequest& request) {
  Plan plan;
  plan.spec_hash = request.spec_hash;
  Result<Collected> collected = Collect(kinds, request, plan.diagnostics);
  if (!collected) return Fail(collected.error());
  Collected& c = *collected;
  LinkReferences(c, plan.diagnostics);
  if (Status s = SelectTargets(c, request.targets); !s) return Fail(s.error());

  // Phases: the rank of each kind's order; deletes afterwards, in reverse order.
  std::vector<int> orders;
  for (const KindState& k : kinds) orders.push_back(k.kind->traits().order);
  std::sort(orders.begin(), orders.end());
  orders.erase(std::unique(orders.begin(), orders.end()), orders.end());
  const int ranks = static_cast<int>(orders.size());
  auto rank_of = [&](size_t k) {
    return static_cast<int>(std::lower_bound(orders.begin(), orders.end(), kinds[k].kind->traits().order) -
                            orders.begin());
  };

  std::vector<std::vector<int>> forward(kinds.size()), backward(kinds.size());
  for (size_t i = 0; i < c.pending.size(); ++i) {
    (c.pending[i].forward() ? forward : backward)[c.pending[i].kind].push_back(static_cast<int>(i));
  }
  std::vector<int> step_of(c.pending.size(), -1);
  std::vector<std::vector<int>> pending_deps(c.pending.size());
  for (size_t i = 0; i < c.pending.size(); ++i) pending_deps[i] = c.pending[i].deps;
  StepBuilder builder(plan.steps);
  for (size_t k = 0; k < kinds.size(); ++k) {
    builder.AddGroup(kinds[k].kind->traits(), rank_of(k), forward[k], c.pending, step_of);
  }
  for (size_t k = 0; k < kinds.size(); ++k) {
    builder.AddGroup(kinds[k].kind->traits(), 2 * ranks - 1 - rank_of(k), backward[k], c.pending, step_of);
  }
  for (size_t i = 0; i < pending_deps.size(); ++i) {
    for (int dep : pending_deps[i]) plan.steps[step_of[i]].deps.push_back(step_of[dep]);
  }
  if (Status s = OrderSteps(plan.steps); !s) return Fail(s.error());
  plan.unchanged = std::move(c.unchanged);
  return plan;
}

}  // namespace hainfra::plan
