// The project's two example clusters, unchanged, converge from a bare cluster in one apply: each runs on a
// pvelab lab at the example's own addresses and node names (real sshd, corosync and dpkg/apt in namespaces)
// joined to pvesim (schema validation on), driven by the real `hainfra` binary on the example's folder — as
// an administrator would run it. A second plan is empty, and the cluster exported as a spec plans to no
// changes either — exported with the example as input, and with no input spec at all (one file and split).
#include <filesystem>
#include <fstream>
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
// The examples' API tokens write their secrets below ~/: a home of the test's own.
const std::string& ExampleHome() {
  static const TempDir home;
  return home.path();
}

std::map<std::string, std::string> HainfraEnv(const PvelabFixture& lab) {
  std::map<std::string, std::string> env;
  for (const auto& [key, value] : lab.Env()) {
    if (key.starts_with("HAINFRA_") && key != "HAINFRA_SSH_ADDRESSES") env[key] = value;
  }
  env["PVE_TOKEN_SECRET"] = lab.Env().at("HAINFRA_API_SECRET");
  env["PBS_PASSWORD"] = "example-pbs-password";
  env["HOME"] = ExampleHome();
  return env;
}

ProcessResult Hainfra(const PvelabFixture& lab, std::vector<std::string> args,
                      const std::map<std::string, std::string>& overrides = {}) {
  args.insert(args.begin(), std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra");
  std::map<std::string, std::string> env = HainfraEnv(lab);
  for (const auto& [key, value] : overrides) env[key] = value;
  return RunProcess(args, env);
}

std::string FirstLineOf(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
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
    // The example's new API token: its secret in its secret_file (mode 0600), never in the output.
    int secrets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(ExampleHome())) {
      if (entry.path().extension() != ".secret") continue;
      ++secrets;
      EXPECT_EQ(entry.status().permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_read |
                                                                                std::filesystem::perms::owner_write);
      const std::string secret = FirstLineOf(entry.path().string());
      EXPECT_EQ(secret.size(), 36u) << entry.path();
      EXPECT_EQ(apply.output.find(secret), std::string::npos) << "a token's secret is never printed";
    }
    EXPECT_GE(secrets, 1);

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

    // Adopting the cluster with no spec at all: everything is read from it (corosync and the sshd drop-ins
    // over SSH, at the addresses the cluster reports), as one file and in the examples' layout.
    const std::string adopted = dir.path() + "/adopted.yaml";
    ProcessResult from_nothing = Hainfra(*lab_, {"export", "-o", adopted});
    ASSERT_EQ(from_nothing.exit_status, 0) << from_nothing.output;
    const std::string text = ReadText(adopted);
    for (const char* part : {"  corosync:\n", "    links:\n", "    network:\n", "baselines:\n", "    sshd:\n"}) {
      EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
    }
    ProcessResult adopted_plan = Hainfra(*lab_, {"plan", "-f", adopted, "--detailed-exitcode"});
    EXPECT_EQ(adopted_plan.exit_status, 0) << adopted_plan.output << text;
    const std::string split = dir.path() + "/adopted";
    ProcessResult split_export = Hainfra(*lab_, {"export", "--split", split});
    ASSERT_EQ(split_export.exit_status, 0) << split_export.output;
    ProcessResult split_plan = Hainfra(*lab_, {"plan", "-f", split, "--detailed-exitcode"});
    EXPECT_EQ(split_plan.exit_status, 0) << split_plan.output;
  }

  // `hainfra bootstrap-token` with root@pam's password makes the example's own token (cluster.api.token) with
  // exactly the privileges its kinds need; the example then converges with that token alone, with no 403.
  void ConvergesWithTheLeastPrivilegeTokenBootstrapTokenMakes() {
    const std::string spec = std::string(HAINFRA_SOURCE_DIR) + "/examples/" + Which().dir;
    TempDir dir;
    const std::string password_file = dir.path() + "/root-password";
    std::ofstream(password_file) << lab_->Env().at("HAINFRA_API_PASSWORD") << "\n";
    const std::string secret_file = dir.path() + "/token.secret";
    ProcessResult boot = Hainfra(*lab_, {"bootstrap-token", "-f", spec, "--user", "root@pam", "--password-file",
                                         password_file, "--secret-file", secret_file});
    ASSERT_EQ(boot.exit_status, 0) << boot.output;
    // The token the example's cluster.api names (hainfra@pve!ci, hainfra@pve!gitops), in the lines to paste.
    const size_t at = boot.output.find("    token: ");
    ASSERT_NE(at, std::string::npos) << boot.output;
    const std::string token_id = boot.output.substr(at + 11, boot.output.find('\n', at) - at - 11);
    EXPECT_EQ(token_id.rfind("hainfra@pve!", 0), 0u) << token_id;
    const std::string secret = FirstLineOf(secret_file);
    ASSERT_EQ(secret.size(), 36u);
    const std::map<std::string, std::string> token = {
        {"HAINFRA_API_TOKEN", token_id}, {"HAINFRA_API_SECRET", secret}, {"PVE_TOKEN_SECRET", secret}};

    ProcessResult apply = Hainfra(*lab_, {"apply", "-f", spec, "--auto-approve"}, token);
    ASSERT_EQ(apply.exit_status, 0) << apply.output;
    EXPECT_EQ(apply.output.find("HTTP 403"), std::string::npos) << apply.output;
    ProcessResult again = Hainfra(*lab_, {"plan", "-f", spec, "--detailed-exitcode"}, token);
    EXPECT_EQ(again.exit_status, 0) << again.output;
    ProcessResult boot_again = Hainfra(*lab_, {"bootstrap-token", "-f", spec, "--password-file", password_file,
                                               "--secret-file", secret_file});
    EXPECT_NE(boot_again.output.find("nothing to do"), std::string::npos) << boot_again.output;
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

namespace hainfra::testing {
namespace {

TEST_F(LabExampleLab3Node, ConvergesWithTheLeastPrivilegeTokenBootstrapTokenMakes) {
  ConvergesWithTheLeastPrivilegeTokenBootstrapTokenMakes();
}

TEST_F(LabExampleAstro5Node, ConvergesWithTheLeastPrivilegeTokenBootstrapTokenMakes) {
  ConvergesWithTheLeastPrivilegeTokenBootstrapTokenMakes();
}

}  // namespace
}  // namespace hainfra::testing
