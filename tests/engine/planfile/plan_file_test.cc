#include "engine/planfile/plan_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/plan/observe.h"
#include "engine/planfile/plan_json.h"
#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"
#include "tests/testing/sample_plan.h"

namespace hainfra::planfile {
namespace {

using testing::FakeCluster;
using testing::FakeKind;
using testing::FakeResource;
using testing::FakeTraits;
using testing::SpecOf;

class PlanFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hainfra-planfile-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }
  static std::string ReadError(const std::string& path) {
    Result<Plan> plan = ReadPlanFile(path);
    return plan ? "(no error)" : plan.error().message;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path dir_;
};

TEST_F(PlanFileTest, RoundTripKeepsEveryStep) {
  const Plan plan = testing::SamplePlan();
  const std::string path = PathOf("plan.json");
  ASSERT_TRUE(WritePlanFile(plan, path));
  Result<Plan> back = ReadPlanFile(path);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(PlanToJson(*back), PlanToJson(plan));
  EXPECT_EQ(back->steps.size(), plan.steps.size());
  EXPECT_EQ(back->spec_hash, "spec-hash-1");
}

TEST_F(PlanFileTest, RoundTripKeepsTheIgnoredFields) {
  Plan plan = testing::SamplePlan();
  ASSERT_EQ(plan.steps[6].change.address.ToString(), "vm/101");
  plan.steps[6].change.ignored = {"memory"};
  plan.unchanged[0].ignored = {"nets[net0].macaddr", "memory"};
  const std::string path = PathOf("plan.json");
  ASSERT_TRUE(WritePlanFile(plan, path));
  Result<Plan> back = ReadPlanFile(path);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->steps[6].change.ignored, (std::vector<std::string>{"memory"}));
  EXPECT_EQ(back->ignored_fields(), 3u);
  EXPECT_EQ(PlanToJson(*back)["summary"]["ignored"], 3);
}

TEST_F(PlanFileTest, IsReadableByItsOwnerOnly) {
  const std::string path = PathOf("plan.json");
  ASSERT_TRUE(WritePlanFile(testing::SamplePlan(), path));
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(PlanFileTest, NeverHoldsASecret) {
  const std::string path = PathOf("plan.json");
  ASSERT_TRUE(WritePlanFile(testing::SamplePlan(), path));
  const std::string text = Slurp(path);
  EXPECT_EQ(text.find("canary"), std::string::npos);
  EXPECT_NE(text.find("(sensitive)"), std::string::npos);
}

TEST_F(PlanFileTest, RecordsTheSpecHashAndEveryObservedVersion) {
  const Value json = PlanToJson(testing::SamplePlan());
  EXPECT_EQ(json["format"], "hainfra-plan");
  EXPECT_EQ(json["format_version"], 1);
  EXPECT_EQ(json["spec_hash"], "spec-hash-1");
  for (const Value& step : json["steps"]) {
    if (step["type"] != "change") continue;
    if (step["action"] == "create") EXPECT_EQ(step["version"], "");
    else EXPECT_FALSE(step["version"].get<std::string>().empty()) << step.dump();
  }
}

TEST_F(PlanFileTest, APlanWithErrorsIsNotWritten) {
  Plan plan = testing::SamplePlan();
  plan.diagnostics.push_back({Severity::kError, {"spec.yaml", 3, 1}, "", "refused"});
  const std::string path = PathOf("plan.json");
  Status s = WritePlanFile(plan, path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, path + ": not written: the plan has errors");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(PlanFileTest, ReadErrorsNameTheFileAndTheMember) {
  const std::string path = PathOf("bad.json");
  Value json = PlanToJson(testing::SamplePlan());
  json["steps"][3]["action"] = "explode";
  std::ofstream(path) << json.dump();
  EXPECT_EQ(ReadError(path), path + ": steps[3].action: unknown action \"explode\"");

  json = PlanToJson(testing::SamplePlan());
  json["steps"][4]["deps"] = {7};
  std::ofstream(path) << json.dump();
  EXPECT_EQ(ReadError(path), path + ": steps[4].deps: 7 is not an earlier step");

  json = PlanToJson(testing::SamplePlan());
  json["format_version"] = 2;
  std::ofstream(path) << json.dump();
  EXPECT_EQ(ReadError(path),
            path + ": plan format_version 2 is not the one this hainfra reads (1)");

  std::ofstream(path) << "{ not json";
  EXPECT_EQ(ReadError(path), path + ": not valid JSON");
  EXPECT_EQ(ReadPlanFile(PathOf("missing.json")).error().code, Code::kNotFound);
}

class FreshnessTest : public ::testing::Test {
 protected:
  FreshnessTest() {
    cluster_.Put({"vm", "1"}, {{"cores", 1}});
    cluster_.Put({"vm", "2"}, {{"cores", 1}});
  }
  Result<Plan> Make() { return testing::PlanFor({&vm_}, spec_); }
  Status Check(const Plan& saved, const std::string& hash = "spec-hash-1") {
    auto states = plan::ObserveKinds({&vm_}, spec_, 1);
    EXPECT_TRUE(states);
    return CheckFresh(saved, hash, *states);
  }

  FakeCluster cluster_;
  FakeKind vm_{cluster_, FakeTraits("vm", 7)};
  Spec spec_ = SpecOf({FakeResource("vm", "1", {{"cores", 2}}), FakeResource("vm", "2", {{"cores", 2}}),
                       FakeResource("vm", "3", {{"cores", 2}})});
};

TEST_F(FreshnessTest, AnUntouchedClusterAndSpecAreFresh) {
  Result<Plan> plan = Make();
  ASSERT_TRUE(plan);
  EXPECT_TRUE(Check(*plan));
}

TEST_F(FreshnessTest, ChangedObjectsAreNamed) {
  Result<Plan> plan = Make();
  ASSERT_TRUE(plan);
  const std::string v1 = cluster_.Get({"vm", "1"})->version;
  cluster_.Put({"vm", "1"}, {{"cores", 3}});  // someone edited it
  cluster_.Erase({"vm", "2"});                // someone deleted it
  cluster_.Put({"vm", "3"}, {{"cores", 2}});  // someone created it
  Status s = Check(*plan);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(s.error().message,
            "the saved plan is stale: objects changed in the cluster since the plan was made: vm/1 (version " + v1 +
                " -> " + cluster_.Get({"vm", "1"})->version + "), vm/2 (gone), vm/3 (now exists). Make a new plan.");
}

TEST_F(FreshnessTest, AChangedSpecIsRefused) {
  Result<Plan> plan = Make();
  ASSERT_TRUE(plan);
  EXPECT_EQ(Check(*plan, "spec-hash-2").error().message,
            "the saved plan is stale: the spec changed since the plan was made. Make a new plan.");
}

}  // namespace
}  // namespace hainfra::planfile
