#include "cli/drift_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/command_fixture.h"

namespace hainfra::cli {
namespace {

using testing::FakeResource;
using testing::SpecOf;

class DriftCommandTest : public CommandTest {
 protected:
  int Drift(DriftCommandOptions options = {}) { return RunDrift(spec_, Kinds(), options, Terminal(false)); }
  static std::string Slurp(const std::string& path) {
    std::stringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
  }

  Spec spec_ = SpecOf({FakeResource("vm", "100", {{"cores", 4}}), FakeResource("storage", "local", {{"cores", 1}})});
};

TEST_F(DriftCommandTest, NoDriftExitsZero) {
  cluster_.Put({"vm", "100"}, {{"cores", 4}});
  cluster_.Put({"storage", "local"}, {{"cores", 1}});
  EXPECT_EQ(Drift(), kExitOk);
  EXPECT_EQ(Out(), "No drift: 2 objects match the spec.\n");
}

TEST_F(DriftCommandTest, DriftExitsTwoAndWritesReports) {
  cluster_.Put({"vm", "100"}, {{"cores", 2}});
  cluster_.Put({"storage", "local"}, {{"cores", 1}});
  const auto dir = std::filesystem::temp_directory_path() / ("hainfra-drift-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  DriftCommandOptions options;
  options.junit = (dir / "drift.xml").string();
  options.metrics = (dir / "hainfra.prom").string();
  options.now = 1700000000;
  EXPECT_EQ(Drift(options), kExitChanges);
  EXPECT_EQ(Out(),
            "Drift: 1 object differs from the spec. `hainfra apply` would run these steps:\n"
            "\n"
            "~ update vm/100 (cores differs)\n"
            "    ~ cores: 2 → 4\n"
            "\n"
            "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.\n");
  const std::string junit = Slurp(options.junit);
  EXPECT_NE(junit.find("<testsuites name=\"hainfra drift\" tests=\"2\" failures=\"1\" errors=\"0\">"), std::string::npos);
  const std::string metrics = Slurp(options.metrics);
  EXPECT_NE(metrics.find("hainfra_drift_objects{kind=\"vm\"} 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hainfra_drift_objects{kind=\"storage\"} 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hainfra_drift_last_run_timestamp_seconds 1700000000\n"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(DriftCommandTest, ObservationErrorExitsOne) {
  storage_->observe_error = Error{Code::kUnavailable, "connection refused"};
  EXPECT_EQ(Drift(), kExitError);
  EXPECT_EQ(Err(), "error: observe storage: connection refused\n");
}

TEST_F(DriftCommandTest, JsonOutputIsThePlanFormat) {
  DriftCommandOptions options;
  options.planning.json = true;
  EXPECT_EQ(Drift(options), kExitChanges);
  EXPECT_EQ(Value::parse(Out())["summary"]["create"], 2);
}

TEST_F(DriftCommandTest, AFailedRunReplacesThePreviousMetricsWithSuccessZero) {
  cluster_.Put({"vm", "100"}, {{"cores", 4}});
  cluster_.Put({"storage", "local"}, {{"cores", 1}});
  const auto dir = std::filesystem::temp_directory_path() / ("hainfra-drift-fail-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  DriftCommandOptions options;
  options.metrics = (dir / "hainfra.prom").string();
  options.now = 1700000000;
  EXPECT_EQ(Drift(options), kExitOk);
  EXPECT_NE(Slurp(options.metrics).find("\nhainfra_last_run_success 1\n"), std::string::npos) << Slurp(options.metrics);

  vm_->observe_error = Error{Code::kUnavailable, "connection refused"};
  options.now = 1700000900;
  EXPECT_EQ(Drift(options), kExitError);
  const std::string metrics = Slurp(options.metrics);
  EXPECT_NE(metrics.find("\nhainfra_last_run_success 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nhainfra_last_run_timestamp_seconds 1700000900\n"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("hainfra_drift_objects"), std::string::npos) << "nothing of the previous run is left";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hainfra::cli
