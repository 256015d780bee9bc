// The project's two example clusters, unchanged, converge from a bare cluster in one apply: each runs on a
// pvelab lab at the example's own addresses and node names (real sshd, corosync and dpkg/apt in namespaces)
// joined to pvesim (schema validation on), driven by the real `hainfra` binary on the example's folder — as
// an administrator would run it. A second plan is empty, and the cluster exported as a spec plans to no
// changes either.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testing/pvelab_fixture.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

struct Example {
  std::string dir;  // under examples/
  std::vector<std::string> up_args;
};

// The lab's HAINFRA_* lines (the simulator's API endpoint, token and CA; the lab's SSH key and known_hosts)
// and the secrets the example reads from the environment. The nodes answer SSH at the spec's own addresses,
// so HAINFRA_SSH_ADDRESSES is left out: hainfra connects where the spec says.
std::map<std::string, std::string> HainfraEnv(const PvelabFixture& lab) {
  std::map<std::string, std::string> env;
  for (const auto& [key, value] : lab.Env()) {
    if (key.starts_with("HAINFRA_") && key != "HAINFRA_SSH_ADDRESSES") env[key] = value;
  }
  env["PVE_TOKEN_SECRET"] = lab.Env().at("HAINFRA_API_SECRET");
  env["PBS_PASSWORD"] = "example-pbs-password";
  return env;
}

ProcessResult Hainfra(const PvelabFixture& lab, std::vector<std::string> args) {
  args.insert(args.begin(), std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra");
  return RunProcess(args, HainfraEnv(lab));
}

class LabExample : public LabTest {
 protected:
  virtual Example Which() const = 0;
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    o.sim_args = {"--ceph"};
    o.extra_args = Which().up_args;
    return o;
  }

  void ConvergesInOneApplyAndExportsWithoutLoss() {
    const std::string spec = std::string(HAINFRA_SOURCE_DIR) + "/examples/" + Which().dir;

    ProcessResult apply = Hainfra(*lab_, {"apply", "-f", spec, "--auto-approve"});
    ASSERT_EQ(apply.exit_status, 0) << apply.output;
    EXPECT_NE(apply.output.find("Apply complete:"), std::string::npos) << apply.output;
    EXPECT_NE(apply.output.find(" 0 failed, 0 skipped, 0 not started"), std::string::npos) << apply.output;

    ProcessResult again = Hainfra(*lab_, {"plan", "-f", spec, "--detailed-exitcode"});
    EXPECT_EQ(again.exit_status, 0) << again.output;
    EXPECT_NE(again.output.find("No changes."), std::string::npos) << again.output;

    TempDir dir;
    const std::string exported = dir.path() + "/export.yaml";
    ProcessResult exp = Hainfra(*lab_, {"export", "-f", spec, "-o", exported});
    ASSERT_EQ(exp.exit_status, 0) << exp.output;
    ProcessResult round_trip = Hainfra(*lab_, {"plan", "-f", exported, "--detailed-exitcode"});
    EXPECT_EQ(round_trip.exit_status, 0) << round_trip.output;
    EXPECT_NE(round_trip.output.find("No changes."), std::string::npos) << round_trip.output;
  }
};

class LabExampleLab3Node : public LabExample {
  Example Which() const override {
    return {"lab-3node",
            {"--names", "pve-01,pve-02,pve-03", "--cluster", "lab", "--networks", "10.0.0,10.10.10,10.20.20",
             "--host-base", "10", "--installer-nics", "eno1,eno2,eno3,eno4"}};
  }
};

class LabExampleAstro5Node : public LabExample {
  Example Which() const override {
    return {"astro-5node",
            {"--names", "astro-c1,astro-c2,astro-c3,astro-gpu1,astro-st1", "--cluster", "astro", "--networks",
             "10.10.0,10.20.0,10.30.0", "--host-base", "20", "--installer-nics", "enp65s0f0,enp65s0f1"}};
  }
};

TEST_F(LabExampleLab3Node, ConvergesFromABareClusterInOneApplyAndExportsWithoutLoss) {
  ConvergesInOneApplyAndExportsWithoutLoss();
}

TEST_F(LabExampleAstro5Node, ConvergesFromABareClusterInOneApplyAndExportsWithoutLoss) {
  ConvergesInOneApplyAndExportsWithoutLoss();
}

}  // namespace
}  // namespace hainfra::testing
