#include "engine/enforce/policy.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/testing/spec_testing.h"

namespace hainfra::enforce {
namespace {

constexpr const char* kPolicyObjects = R"(
nodes:
  - { name: pve-01, address: 10.0.0.11 }
  - { name: pve-02, address: 10.0.0.12 }
vms:
  - { vmid: 100, name: web-01, node: pve-01, tags: [k8s] }
  - { vmid: 101, name: web-02, node: pve-01 }
  - { vmid: 102, name: db-01, node: pve-02, tags: [k8s, db] }
  - { vmid: 103, name: db-02, node: pve-02 }
)";

// 2026-03-23 (a Monday) at 12:00 UTC; the Berlin DST change is on Sunday 2026-03-29 01:00 UTC.
constexpr int64_t kPolicyMondayNoonUtc = 1774267200;
constexpr int64_t kPolicySpring2026 = 1774746000;

bool PolicyHaveZoneinfo() { return std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin"); }

struct PolicyLoaded {
  Spec spec;
  Policy policy;
};

PolicyLoaded PolicyLoad(const std::string& enforcement) {
  spec::LoadResult r = testing::LoadYaml(std::string(kPolicyObjects) + enforcement);
  EXPECT_FALSE(HasErrors(r.diagnostics)) << ::testing::PrintToString(testing::Lines(r.diagnostics));
  Result<Policy> policy = Policy::FromSpec(r.spec);
  EXPECT_TRUE(policy) << policy.error().message;
  return {std::move(r.spec), policy ? *policy : Policy()};
}

Address PolicyVm(const std::string& id) { return Address{"vm", id}; }

// A plan of change steps (and commits/gates) written compactly for the Decide tests.
class PolicyPlanBuilder {
 public:
  PolicyPlanBuilder& Change(const Address& address, Action action = Action::kUpdate, std::vector<int> deps = {},
                      bool destructive = false) {
    Step s;
    s.id = static_cast<int>(plan_.steps.size());
    s.change.address = address;
    s.change.action = action;
    s.change.destructive = destructive;
    s.deps = std::move(deps);
    plan_.steps.push_back(std::move(s));
    return *this;
  }
  PolicyPlanBuilder& Special(StepType type, const std::string& kind, const std::string& node, std::vector<int> deps) {
    Step s;
    s.id = static_cast<int>(plan_.steps.size());
    s.type = type;
    s.node = node;
    s.change.address = {kind, node};
    s.deps = std::move(deps);
    plan_.steps.push_back(std::move(s));
    return *this;
  }
  Plan Build() const { return plan_; }

 private:
  Plan plan_;
};

// "vm/100 update" per kept step, "(commit network/pve-01 <- 0)" for the others, deps shown.
std::vector<std::string> PolicyKept(const Decision& d) {
  std::vector<std::string> out;
  for (const Step& s : d.to_apply.steps) {
    std::string line = s.type == StepType::kChange ? s.change.address.ToString()
                       : s.type == StepType::kCommit ? "commit " + s.change.address.ToString()
                                                     : "gate " + s.change.address.ToString();
    for (size_t i = 0; i < s.deps.size(); ++i) line += (i == 0 ? " <- " : ",") + std::to_string(s.deps[i]);
    EXPECT_EQ(s.id, static_cast<int>(&s - d.to_apply.steps.data()));
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> PolicyWithheld(const Decision& d) {
  std::vector<std::string> out;
  for (const Withheld& w : d.withheld) out.push_back(w.address.ToString() + ": " + w.reason);
  return out;
}

TEST(PolicyMode, WithoutASectionEverythingIsCorrected) {
  PolicyLoaded l = PolicyLoad("");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("100"), l.spec), Mode::kCorrect);
  EXPECT_FALSE(l.policy.HasIgnoreRules());
}

TEST(PolicyMode, TagBeatsNameBeatsKindBeatsDefault) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  mode: warn
  overrides:
    - { tags: [k8s], mode: warn }
    - { kind: vm, name: "web-*", mode: correct }
    - { kind: vm, mode: warn }
    - { kind: node, mode: correct }
)");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("100"), l.spec), Mode::kWarn);     // web-01 tagged k8s: the tag wins
  EXPECT_EQ(l.policy.ModeSource(PolicyVm("100"), l.spec), "tagged k8s");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("101"), l.spec), Mode::kCorrect);  // web-02: the name glob beats the kind
  EXPECT_EQ(l.policy.ModeSource(PolicyVm("101"), l.spec), "vm/web-*");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("103"), l.spec), Mode::kWarn);     // db-02: the kind
  EXPECT_EQ(l.policy.ModeSource(PolicyVm("103"), l.spec), "kind vm");
  EXPECT_EQ(l.policy.ModeOf(Address{"node", "pve-01"}, l.spec), Mode::kCorrect);
  EXPECT_EQ(l.policy.ModeOf(Address{"storage", "local"}, l.spec), Mode::kWarn);  // the default
  EXPECT_EQ(l.policy.ModeSource(Address{"storage", "local"}, l.spec), "default");
}

TEST(PolicyMode, EquallySpecificOverridesAreDecidedByTheFirstWritten) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides:
    - { name: "db-*", mode: warn }
    - { address: "vm/10*", mode: correct }
)");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("102"), l.spec), Mode::kWarn);
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("100"), l.spec), Mode::kCorrect);
}

TEST(PolicyMode, NameGlobsMatchTheVmidOrTheVmName) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides:
    - { kind: vm, name: "10?", mode: warn }
    - { kind: vm, name: "db-*", tags: [db], mode: correct }
)");
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("101"), l.spec), Mode::kWarn);
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("102"), l.spec), Mode::kCorrect);  // db-01 tagged db
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("103"), l.spec), Mode::kWarn);     // db-02 lacks the tag
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("105"), l.spec), Mode::kWarn);     // not in the spec: selected by its id
  EXPECT_EQ(l.policy.ModeOf(PolicyVm("999"), l.spec), Mode::kCorrect);  // selected by nothing: the default
}

TEST(PolicyIgnore, MatchesKindSelectorAndPathPattern) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  ignore:
    - { kind: vm, tags: [k8s], fields: [memory, "nets[*].macaddr"] }
    - { kind: vm, name: "web-02", fields: ["disks[scsi0].size"] }
)");
  const Resource& k8s = *l.spec.Find(PolicyVm("100"));
  const Resource& plain = *l.spec.Find(PolicyVm("101"));
  auto field = [](std::string path) {
    FieldChange f;
    f.path = std::move(path);
    return f;
  };
  EXPECT_TRUE(l.policy.Ignores(k8s, field("memory")));
  EXPECT_TRUE(l.policy.Ignores(k8s, field("nets[net0].macaddr")));
  EXPECT_FALSE(l.policy.Ignores(k8s, field("nets[net0].bridge")));
  EXPECT_FALSE(l.policy.Ignores(k8s, field("cores")));
  EXPECT_FALSE(l.policy.Ignores(plain, field("memory")));
  EXPECT_TRUE(l.policy.Ignores(plain, field("disks[scsi0].size")));
  EXPECT_FALSE(l.policy.Ignores(plain, field("disks[scsi1].size")));
}

TEST(PolicyWindow, WithoutWindowsCorrectionsMayAlwaysRun) {
  PolicyLoaded l = PolicyLoad("enforcement: { mode: correct }\n");
  std::string note;
  EXPECT_TRUE(l.policy.WindowOpen(kPolicyMondayNoonUtc, note));
  EXPECT_EQ(note, "");
}

TEST(PolicyWindow, AnAllowWindowInBerlinFollowsTheDstChange) {
  if (!PolicyHaveZoneinfo()) GTEST_SKIP() << "no /usr/share/zoneinfo";
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  windows:
    - { name: office, allow: "Mon..Fri *-*-* 08:00..18:00", timezone: Europe/Berlin }
)");
  std::string note;
  // Monday 2026-03-23, CET (UTC+1): 07:30 UTC is 08:30 local, inside; 06:30 UTC is 07:30, outside.
  const int64_t monday = kPolicyMondayNoonUtc - 12 * 3600;
  EXPECT_TRUE(l.policy.WindowOpen(monday + 7 * 3600 + 1800, note));
  EXPECT_FALSE(l.policy.WindowOpen(monday + 6 * 3600 + 1800, note));
  EXPECT_EQ(note, "outside every allow window: allow window 'office' (Mon..Fri *-*-* 08:00..18:00 Europe/Berlin)");
  // Monday 2026-03-30, CEST (UTC+2) after the change: 06:30 UTC is 08:30 local, now inside;
  // 16:30 UTC is 18:30 local, now outside (it was inside a week before).
  const int64_t next_monday = monday + 7 * 86400;
  ASSERT_GT(next_monday, kPolicySpring2026);
  EXPECT_TRUE(l.policy.WindowOpen(next_monday + 6 * 3600 + 1800, note));
  EXPECT_TRUE(l.policy.WindowOpen(monday + 16 * 3600 + 1800, note));
  EXPECT_FALSE(l.policy.WindowOpen(next_monday + 16 * 3600 + 1800, note));
}

TEST(PolicyWindow, ADenyWindowBeatsAnAllowWindow) {
  if (!PolicyHaveZoneinfo()) GTEST_SKIP() << "no /usr/share/zoneinfo";
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  windows:
    - { name: always, allow: "*-*-*" }
    - { name: freeze, deny: "Mon 12:00..13:00", timezone: Europe/Berlin }
)");
  std::string note;
  EXPECT_FALSE(l.policy.WindowOpen(kPolicyMondayNoonUtc - 1800, note));  // 12:30 Berlin
  EXPECT_EQ(note, "inside the deny window 'freeze' (Mon 12:00..13:00 Europe/Berlin)");
  EXPECT_FALSE(l.policy.WindowOpen(kPolicyMondayNoonUtc + 59, note));     // 13:00:59 Berlin: the end minute is inside
  EXPECT_TRUE(l.policy.WindowOpen(kPolicyMondayNoonUtc + 60, note));      // 13:01 Berlin
  EXPECT_EQ(note, "");
  EXPECT_TRUE(l.policy.WindowOpen(kPolicyMondayNoonUtc - 3600 - 60, note));  // 11:59 Berlin
}

TEST(PolicyDecide, WarnModeWithholdsAndSaysWhy) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides: [ { kind: vm, tags: [k8s], mode: warn } ]
)");
  Plan plan = PolicyPlanBuilder().Change(PolicyVm("100")).Change(PolicyVm("101")).Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/101"}));
  EXPECT_EQ(PolicyWithheld(d), (std::vector<std::string>{"vm/100: warn mode (vm tagged k8s)"}));
  EXPECT_TRUE(d.window_open);
}

TEST(PolicyDecide, AClosedWindowWithholdsEveryChange) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  windows: [ { name: weekend, allow: "Sat,Sun" } ]
)");
  Plan plan = PolicyPlanBuilder().Change(PolicyVm("100")).Change(PolicyVm("101")).Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_TRUE(d.to_apply.steps.empty());
  EXPECT_FALSE(d.window_open);
  EXPECT_EQ(d.window_note, "outside every allow window: allow window 'weekend' (Sat,Sun UTC)");
  ASSERT_EQ(d.withheld.size(), 2u);
  EXPECT_EQ(d.withheld[1].reason, d.window_note);
}

TEST(PolicyDecide, DestructiveChangesNeverRunUnattended) {
  PolicyLoaded l = PolicyLoad("");
  Plan plan = PolicyPlanBuilder()
                  .Change(PolicyVm("100"), Action::kReplace, {}, true)
                  .Change(PolicyVm("101"), Action::kDelete, {}, true)
                  .Change(PolicyVm("102"))
                  .Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/102"}));
  ASSERT_EQ(d.withheld.size(), 2u);
  EXPECT_EQ(d.withheld[0].action, Action::kReplace);
  EXPECT_EQ(d.withheld[0].reason, "destructive: never unattended (run `hainfra apply --allow-destroy`)");
}

TEST(PolicyDecide, MaxObjectsKeepsTheFirstInPlanOrder) {
  PolicyLoaded l = PolicyLoad("enforcement: { limits: { max_objects: 2 } }\n");
  Plan plan = PolicyPlanBuilder().Change(PolicyVm("100")).Change(PolicyVm("101")).Change(PolicyVm("102")).Change(PolicyVm("103")).Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/100", "vm/101"}));
  EXPECT_EQ(PolicyWithheld(d), (std::vector<std::string>{"vm/102: limit of 2 objects per run reached",
                                                     "vm/103: limit of 2 objects per run reached"}));
}

TEST(PolicyDecide, NodeLevelChangesWaitForEveryNodeOnline) {
  PolicyLoaded l = PolicyLoad("");
  // network (rolling): pve-01's change, its commit, the gate, then pve-02's change and commit; and a VM.
  Plan plan = PolicyPlanBuilder()
                  .Change(Address{"network", "pve-01"}, Action::kUpdate)
                  .Special(StepType::kCommit, "network", "pve-01", {0})
                  .Special(StepType::kGate, "network", "pve-01", {0, 1})
                  .Change(Address{"network", "pve-02"}, Action::kUpdate, {2})
                  .Special(StepType::kCommit, "network", "pve-02", {3})
                  .Change(PolicyVm("100"))
                  .Build();
  RunContext offline{kPolicyMondayNoonUtc, false};
  Decision d = l.policy.Decide(plan, l.spec, offline);
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/100"}));
  EXPECT_EQ(PolicyWithheld(d),
            (std::vector<std::string>{"network/pve-01: a node is offline (node-level changes run only when every node is online)",
                                      "network/pve-02: a node is offline (node-level changes run only when every node is online)"}));
  // Every node online: all of it, commits and gate included, in order.
  Decision online = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc, true});
  EXPECT_EQ(PolicyKept(online), (std::vector<std::string>{"network/pve-01", "commit network/pve-01 <- 0",
                                                    "gate network/pve-01 <- 0,1", "network/pve-02 <- 2",
                                                    "commit network/pve-02 <- 3", "vm/100"}));
  EXPECT_TRUE(online.withheld.empty());
}

TEST(PolicyDecide, NodeLevelNeverWithholdsEveryNodeLevelKindEvenWithoutAGate) {
  PolicyLoaded l = PolicyLoad("enforcement: { limits: { node_level: never } }\n");
  Plan plan = PolicyPlanBuilder().Change(Address{"sshd", "pve-01"}).Change(PolicyVm("100")).Build();
  RunContext context{kPolicyMondayNoonUtc, true};
  Decision d = l.policy.Decide(plan, l.spec, context);
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/100"}));
  EXPECT_EQ(PolicyWithheld(d), (std::vector<std::string>{"sshd/pve-01: node-level: never unattended (limits.node_level: never)"}));
}

TEST(PolicyDecide, AWithheldChangeWithholdsWhatDependsOnItAndRenumbers) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides: [ { kind: storage, mode: warn } ]
)");
  // storage/local (warn) <- vm/100 <- ha_resource/vm:100 ; vm/101 independent, after them in order.
  Plan plan = PolicyPlanBuilder()
                  .Change(Address{"storage", "local"})
                  .Change(PolicyVm("100"), Action::kCreate, {0})
                  .Change(Address{"ha_resource", "vm:100"}, Action::kCreate, {1})
                  .Change(PolicyVm("101"))
                  .Change(Address{"ha_resource", "vm:101"}, Action::kCreate, {3})
                  .Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"vm/101", "ha_resource/vm:101 <- 0"}));
  EXPECT_EQ(PolicyWithheld(d), (std::vector<std::string>{"storage/local: warn mode (kind storage)",
                                                     "vm/100: depends on withheld storage/local",
                                                     "ha_resource/vm:100: depends on withheld vm/100"}));
}

TEST(PolicyDecide, CommitsAndGatesStayOnlyForKeptChanges) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides: [ { kind: network, name: pve-01, mode: warn } ]
)");
  // Three nodes of a rolling kind; pve-01 is in warn mode. pve-02 still waits for nothing withheld,
  // and pve-03 still waits for the gate after pve-02.
  Plan plan = PolicyPlanBuilder()
                  .Change(Address{"network", "pve-01"})                       // 0
                  .Special(StepType::kCommit, "network", "pve-01", {0})       // 1
                  .Special(StepType::kGate, "network", "pve-01", {0, 1})      // 2
                  .Change(Address{"network", "pve-02"}, Action::kUpdate, {2})  // 3
                  .Special(StepType::kCommit, "network", "pve-02", {3})       // 4
                  .Special(StepType::kGate, "network", "pve-02", {3, 4})      // 5
                  .Change(Address{"network", "pve-03"}, Action::kUpdate, {5})  // 6
                  .Special(StepType::kCommit, "network", "pve-03", {6})       // 7
                  .Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"network/pve-02", "commit network/pve-02 <- 0",
                                               "gate network/pve-02 <- 0,1", "network/pve-03 <- 2",
                                               "commit network/pve-03 <- 3"}));
  EXPECT_EQ(PolicyWithheld(d), (std::vector<std::string>{"network/pve-01: warn mode (network/pve-01)"}));
}

TEST(PolicyDecide, AGateAfterAWithheldNodeHandsItsWaitOnToTheNextNode) {
  PolicyLoaded l = PolicyLoad(R"(
enforcement:
  overrides: [ { kind: network, name: pve-02, mode: warn } ]
)");
  Plan plan = PolicyPlanBuilder()
                  .Change(Address{"network", "pve-01"})                       // 0
                  .Special(StepType::kGate, "network", "pve-01", {0})         // 1
                  .Change(Address{"network", "pve-02"}, Action::kUpdate, {1})  // 2 (warn)
                  .Special(StepType::kGate, "network", "pve-02", {2})         // 3
                  .Change(Address{"network", "pve-03"}, Action::kUpdate, {3})  // 4
                  .Build();
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  // pve-03 still runs after the health gate that follows pve-01.
  EXPECT_EQ(PolicyKept(d), (std::vector<std::string>{"network/pve-01", "gate network/pve-01 <- 0", "network/pve-03 <- 1"}));
}

TEST(PolicyDecide, KeepsTheUnchangedObjectsAndTheSpecHash) {
  PolicyLoaded l = PolicyLoad("");
  Plan plan = PolicyPlanBuilder().Change(PolicyVm("100")).Build();
  plan.spec_hash = "abc";
  plan.unchanged.emplace_back();
  plan.unchanged.back().address = PolicyVm("101");
  Decision d = l.policy.Decide(plan, l.spec, RunContext{kPolicyMondayNoonUtc});
  EXPECT_EQ(d.to_apply.spec_hash, "abc");
  ASSERT_EQ(d.to_apply.unchanged.size(), 1u);
}

}  // namespace
}  // namespace hainfra::enforce
