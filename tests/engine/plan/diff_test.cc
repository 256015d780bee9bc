#include "engine/plan/diff.h"

#include <gtest/gtest.h>

#include "tests/testing/fake_kind.h"

namespace hainfra::plan {
namespace {

using testing::FakeCluster;
using testing::FakeKind;
using testing::FakeResource;
using testing::FakeTraits;

class DiffTest : public ::testing::Test {
 protected:
  Change Run(const Resource* desired, const Observed* observed, bool prune = false) {
    return Diff(kind_, desired, observed, DiffOptions{prune}, diagnostics_);
  }
  static Observed Seen(const std::string& name, Value body, bool owned = false) {
    return Observed{{"vm", name}, std::move(body), "digest-1", owned};
  }

  FakeCluster cluster_;
  FakeKind kind_{cluster_, FakeTraits("vm", 7)};
  Diagnostics diagnostics_;
};

TEST_F(DiffTest, MissingObjectGivesCreateWithItsFields) {
  Resource desired = FakeResource("vm", "100", {{"cores", 4}});
  Change c = Run(&desired, nullptr);
  EXPECT_EQ(c.action, Action::kCreate);
  EXPECT_EQ(c.address.ToString(), "vm/100");
  EXPECT_TRUE(c.before.is_null());
  EXPECT_EQ(c.after, Value({{"cores", 4}}));
  ASSERT_EQ(c.fields.size(), 1u);
  EXPECT_FALSE(c.destructive);
  EXPECT_EQ(c.reason, "not in the cluster");
  EXPECT_EQ(c.version, "");
}

TEST_F(DiffTest, EqualObjectGivesNoOpAndKeepsTheVersion) {
  Resource desired = FakeResource("vm", "100", {{"cores", 4}});
  Observed observed = Seen("100", {{"cores", 4}, {"status", "running"}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kNoOp);
  EXPECT_TRUE(c.fields.empty());
  EXPECT_EQ(c.version, "digest-1");
}

TEST_F(DiffTest, ChangedFieldGivesUpdate) {
  Resource desired = FakeResource("vm", "100", {{"cores", 8}, {"memory", "8G"}});
  Observed observed = Seen("100", {{"cores", 4}, {"memory", "8192M"}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kUpdate);
  ASSERT_EQ(c.fields.size(), 1u);
  EXPECT_EQ(c.fields[0].path, "cores");
  EXPECT_EQ(c.reason, "cores differs");
  EXPECT_FALSE(c.destructive);
}

TEST_F(DiffTest, ChangedVmidGivesReplace) {
  Resource desired = FakeResource("vm", "100", {{"vmid", 101}, {"cores", 2}});
  Observed observed = Seen("100", {{"vmid", 100}, {"cores", 1}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kReplace);
  EXPECT_TRUE(c.destructive);
  EXPECT_EQ(c.reason, "vmid cannot change in place");
}

TEST_F(DiffTest, RebootFieldMarksTheChange) {
  Resource desired = FakeResource("vm", "100", {{"onboot", true}});
  Observed observed = Seen("100", {{"onboot", 0}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kUpdate);
  EXPECT_TRUE(c.reboot);
}

TEST_F(DiffTest, AbsentObjectGivesDestructiveDelete) {
  Resource desired = FakeResource("vm", "100", {{"cores", 4}});
  desired.absent = true;
  Observed observed = Seen("100", {{"cores", 4}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kDelete);
  EXPECT_TRUE(c.destructive);
  EXPECT_TRUE(c.after.is_null());
  EXPECT_EQ(c.reason, "state: absent");
}

TEST_F(DiffTest, UndeclaredObjectIsDeletedOnlyWhenPrunedAndOwned) {
  Observed foreign = Seen("200", {{"cores", 1}}, /*owned=*/false);
  Observed ours = Seen("201", {{"cores", 1}}, /*owned=*/true);
  EXPECT_EQ(Run(nullptr, &ours).action, Action::kNoOp);
  EXPECT_EQ(Run(nullptr, &foreign, /*prune=*/true).action, Action::kNoOp);
  Change c = Run(nullptr, &ours, /*prune=*/true);
  EXPECT_EQ(c.action, Action::kDelete);
  EXPECT_TRUE(c.destructive);
  EXPECT_EQ(c.reason, "not in the spec, owned by hainfra, and --prune vm");
}

TEST_F(DiffTest, UndeclaredObjectWhoseRemovalIsByHandGivesDestructiveDeleteWithTheSteps) {
  kind_.by_hand = [](const Observed& o) { return o.address.name == "7" ? "power it off first" : ""; };
  Observed held = Seen("7", {{"cores", 2}});
  Change c = Run(nullptr, &held);
  EXPECT_EQ(c.action, Action::kDelete);
  EXPECT_TRUE(c.destructive);
  EXPECT_EQ(c.reason, "not in the spec; power it off first");
  Observed other = Seen("8", {{"cores", 2}});
  EXPECT_EQ(Run(nullptr, &other).action, Action::kNoOp) << "an empty answer leaves it alone";
  Resource absent = FakeResource("vm", "7", {});
  absent.absent = true;
  EXPECT_EQ(Run(&absent, &held).reason, "state: absent; power it off first");
}

TEST_F(DiffTest, NormalizeRunsOnBothSidesFirst) {
  kind_.normalize = [](Value& body) {
    if (body.contains("cores") && body["cores"].is_string()) body["cores"] = std::stoi(body["cores"].get<std::string>());
    body.erase("lock");
  };
  Resource desired = FakeResource("vm", "100", {{"cores", "4"}});
  Observed observed = Seen("100", {{"cores", 4}, {"lock", "backup"}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kNoOp);
  EXPECT_EQ(c.after, Value({{"cores", 4}}));
  EXPECT_FALSE(c.before.contains("lock"));
}

TEST_F(DiffTest, ReviewCanDropADifferenceTheKindMustNotFight) {
  kind_.review = [](const Resource&, const Observed&, Change& change) {
    std::erase_if(change.fields, [](const FieldChange& f) { return f.path == "node"; });  // HA moved it
    return Ok();
  };
  Resource desired = FakeResource("vm", "100", {{"node", "pve-01"}});
  Observed observed = Seen("100", {{"node", "pve-02"}});
  EXPECT_EQ(Run(&desired, &observed).action, Action::kNoOp);
}

TEST_F(DiffTest, RefusedFieldBecomesALocatedDiagnostic) {
  kind_.review = [](const Resource&, const Observed&, Change& change) {
    for (FieldChange& f : change.fields) {
      if (f.path == "disks[scsi0].size") f.refused = "a disk cannot shrink (64G -> 32G)";
    }
    return Ok();
  };
  Resource desired = FakeResource("vm", "100", {{"disks", {{{"slot", "scsi0"}, {"size", "32G"}}}}}, 4);
  desired.locations["/disks/0/size"] = {"spec.yaml", 9, 15};
  Observed observed = Seen("100", {{"disks", {{{"slot", "scsi0"}, {"size", "64G"}}}}});
  Run(&desired, &observed);
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].ToString(),
            "spec.yaml:9:15: error: vm/100: disks[scsi0].size: a disk cannot shrink (64G -> 32G)");
}

TEST_F(DiffTest, ReviewErrorIsLocatedAtTheObject) {
  kind_.review = [](const Resource&, const Observed&, Change&) -> Status {
    return Fail(Code::kFailedPrecondition, "cannot move a guest with local disks");
  };
  Resource desired = FakeResource("vm", "100", {{"node", "pve-02"}}, 12);
  Observed observed = Seen("100", {{"node", "pve-01"}});
  Run(&desired, &observed);
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].ToString(), "spec.yaml:12:3: error: vm/100: cannot move a guest with local disks");
}

TEST_F(DiffTest, SecretsAreMaskedInBodiesAndFields) {
  Resource desired = FakeResource("vm", "100", {{"password", "canary-s3cret"}, {"api", {{"token", "canary-tok"}}}});
  Observed observed = Seen("100", {{"password", "old-canary"}, {"api", {{"token", "old-canary-tok"}}}});
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.action, Action::kUpdate);
  const std::string all = c.before.dump() + c.after.dump() + c.reason;
  EXPECT_EQ(all.find("canary"), std::string::npos) << all;
  for (const FieldChange& f : c.fields) {
    EXPECT_EQ(f.before, "(sensitive)");
    EXPECT_EQ(f.after, "(sensitive)");
  }
}

TEST_F(DiffTest, ObjectsWithoutADigestGetAFingerprintVersion) {
  Resource desired = FakeResource("vm", "100", {{"cores", 4}});
  Observed observed = Seen("100", {{"cores", 2}});
  observed.version.clear();
  Change c = Run(&desired, &observed);
  EXPECT_EQ(c.version.rfind("sha256:", 0), 0u);
  EXPECT_EQ(c.version.size(), 7u + 64u);
}

TEST_F(DiffTest, IgnoredDifferencesLeaveTheChangeAndAreListed) {
  const IgnoreField ignore = [](const Resource&, const FieldChange& f) { return f.path == "memory"; };
  Resource desired = FakeResource("vm", "100", {{"cores", 4}, {"memory", 2048}});
  Observed observed = Seen("100", {{"cores", 2}, {"memory", 4096}});
  Change c = Diff(kind_, &desired, &observed, DiffOptions{false, &ignore}, diagnostics_);
  EXPECT_EQ(c.action, Action::kUpdate);
  ASSERT_EQ(c.fields.size(), 1u);
  EXPECT_EQ(c.fields[0].path, "cores");
  EXPECT_EQ(c.ignored, (std::vector<std::string>{"memory"}));
  EXPECT_EQ(c.reason, "cores differs");
}

TEST_F(DiffTest, AnUpdateWhoseOnlyDifferencesAreIgnoredIsANoOp) {
  const IgnoreField ignore = [](const Resource&, const FieldChange& f) { return f.path == "memory"; };
  Resource desired = FakeResource("vm", "100", {{"cores", 4}, {"memory", 2048}});
  Observed observed = Seen("100", {{"cores", 4}, {"memory", 4096}});
  Change c = Diff(kind_, &desired, &observed, DiffOptions{false, &ignore}, diagnostics_);
  EXPECT_EQ(c.action, Action::kNoOp);
  EXPECT_TRUE(c.fields.empty());
  EXPECT_EQ(c.ignored, (std::vector<std::string>{"memory"}));
}

TEST_F(DiffTest, ACreateWritesIgnoredFieldsToo) {
  const IgnoreField ignore = [](const Resource&, const FieldChange&) { return true; };
  Resource desired = FakeResource("vm", "100", {{"memory", 2048}});
  Change c = Diff(kind_, &desired, nullptr, DiffOptions{false, &ignore}, diagnostics_);
  EXPECT_EQ(c.action, Action::kCreate);
  EXPECT_EQ(c.fields.size(), 1u);
  EXPECT_TRUE(c.ignored.empty());
}

}  // namespace
}  // namespace hainfra::plan
