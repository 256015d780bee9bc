// The safety of an apply against real nodes (pvelab joined to pvesim, schema validation on): the cluster
// lock in the lab's pmxcfs (two applies, a holder that dies), the quorum gate (no quorum on the API's node),
// and the refusal of node-level changes on an isolated node — through the CLI's own apply path.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/apply_safety.h"
#include "engine/spec/loader.h"
#include "providers/safety/cluster_lock.h"
#include "providers/safety/quorum_gate.h"
#include "providers/transport/ssh_settings.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kSafetySpec = R"(
cluster:
  name: hainfra-lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class LabSafety : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    o.lock_timeout_s = 3;  // a dead holder's lock expires quickly
    return o;
  }

  std::unique_ptr<cli::ClusterSession> Session() const {
    spec::LoadResult loaded = spec::LoadSpecText(kSafetySpec, "spec.yaml");
    EXPECT_FALSE(HasErrors(loaded.diagnostics));
    spec_ = std::move(loaded.spec);
    auto session = cli::ClusterSession::Open(spec_, lab_->EnvLookup(), nullptr);
    EXPECT_TRUE(session.has_value()) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  Ran Apply(const cli::SafetyFlags& flags = {}) const {
    auto session = Session();
    if (!session) return {};
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    cli::Console console{in, out, err, false, false, false};
    cli::ApplyCommandOptions options;
    options.auto_approve = true;
    int code = cli::RunSafeApply(spec_, *session, options, flags, console);
    return {code, out.str(), err.str()};
  }

  std::unique_ptr<transport::SshClient> Ssh() const {
    auto settings = transport::ResolveSshSettings(Value::object(), {}, lab_->EnvLookup());
    EXPECT_TRUE(settings.has_value()) << settings.error().message;
    auto client = transport::SshClient::Create(std::move(*settings));
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }

  std::string LockDir() const { return lab_->Cfs() + "/priv/lock/" + safety::kApplyLockName; }

  // Waits until the API (pve-01's) sees the cluster's quorum as `quorate` and NODE's online flag as `online`.
  bool WaitForStatus(cli::ClusterSession& session, bool quorate, const std::string& node = "", bool online = true) {
    return PvelabFixture::WaitFor(
        [&] {
          auto status = safety::ReadClusterStatus(*session.deps().api);
          if (!status || status->quorate != quorate) return false;
          return node.empty() || (status->online.contains(node) && status->online.at(node) == online);
        },
        seconds(20));
  }

  mutable Spec spec_;
};

TEST_F(LabSafety, ASecondApplyIsRefusedWithTheHoldersInformation) {
  auto ssh = Ssh();
  ASSERT_NE(ssh, nullptr);
  safety::LockHolder other = safety::LockHolder::Current();
  other.host = "ci-runner-7";
  other.job_url = "https://ci.example/jobs/4242";
  auto held = safety::ClusterLock::Acquire(*ssh, "pve-02", {}, other);
  ASSERT_TRUE(held.has_value()) << held.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(LockDir())) << "the lock is a folder in the shared /etc/pve";

  Ran refused = Apply();
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is held by"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("@ci-runner-7 (pid "), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("job https://ci.example/jobs/4242"), std::string::npos) << refused.err;

  ASSERT_TRUE((*held)->Release().has_value());
  Ran ok = Apply();
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_FALSE(std::filesystem::exists(LockDir())) << "released at the end";
}

TEST_F(LabSafety, UnlockShowsTheHolderAndForceRemovesTheLockWithAWarning) {
  auto ssh = Ssh();
  ASSERT_NE(ssh, nullptr);
  safety::LockHolder dead = safety::LockHolder::Current();
  dead.host = "crashed-ci";
  auto held = safety::ClusterLock::Acquire(*ssh, "pve-03", {}, dead);
  ASSERT_TRUE(held.has_value()) << held.error().message;
  auto session = Session();
  ASSERT_NE(session, nullptr);
  std::ostringstream out, err;
  EXPECT_EQ(cli::RunUnlock(*session, false, out, err), 1);
  EXPECT_NE(out.str().find("held by root@crashed-ci"), std::string::npos) << out.str();
  EXPECT_TRUE(std::filesystem::exists(LockDir())) << "not removed without --force";
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::RunUnlock(*session, true, out2, err2), 0) << err2.str();
  EXPECT_NE(err2.str().find("warning: removing the cluster lock held by"), std::string::npos) << err2.str();
  EXPECT_FALSE(std::filesystem::exists(LockDir()));
  EXPECT_FALSE((*held)->Release().has_value()) << "its holder learns it was forced";
}

TEST_F(LabSafety, AHolderKilledMidApplyLeavesALockThatExpires) {
  ASSERT_TRUE(lab_->HoldLock("pve-02", safety::kApplyLockName, 1).has_value());
  ASSERT_TRUE(lab_->KillLockHolder(safety::kApplyLockName).has_value());
  auto ssh = Ssh();
  ASSERT_NE(ssh, nullptr);
  safety::LockOptions quick;
  quick.wait = milliseconds(200);
  auto refused = safety::ClusterLock::Acquire(*ssh, "pve-01", quick);
  ASSERT_FALSE(refused.has_value()) << "the dead holder's lock is still fresh";
  EXPECT_NE(refused.error().message.find("is held by"), std::string::npos) << refused.error().message;

  // pmxcfs removes it once it is older than the lock timeout (3 s here) and someone asks.
  std::unique_ptr<safety::ClusterLock> mine;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(PvelabFixture::WaitFor(
      [&] {
        auto lock = safety::ClusterLock::Acquire(*ssh, "pve-01", quick);
        if (lock) mine = std::move(*lock);
        return mine != nullptr;
      },
      seconds(15)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, seconds(1)) << "not before it expired";
  EXPECT_TRUE(mine->held());
}

TEST_F(LabSafety, ApplyIsRefusedWithoutQuorum) {
  auto session = Session();
  ASSERT_NE(session, nullptr);
  // pvesim serves pve-01's API: cut pve-01 off both corosync links.
  ASSERT_TRUE(lab_->Fault({"link-down", "pve-01", "link0"}).has_value());
  ASSERT_TRUE(lab_->Fault({"link-down", "pve-01", "link1"}).has_value());
  ASSERT_TRUE(WaitForStatus(*session, false));

  Ran locked = Apply();
  EXPECT_EQ(locked.exit_code, 1);
  EXPECT_NE(locked.err.find("no quorum"), std::string::npos) << locked.err;
  cli::SafetyFlags no_lock;
  no_lock.no_lock = true;
  Ran gated = Apply(no_lock);
  EXPECT_EQ(gated.exit_code, 1);
  EXPECT_NE(gated.err.find("has no quorum (seen from pve-01); refusing to change it"), std::string::npos)
      << gated.err;
  EXPECT_NE(gated.err.find("--no-lock"), std::string::npos) << "the warning names the flag: " << gated.err;
}

TEST_F(LabSafety, AnIsolatedNodeLeavesTheOthersQuorateAndRefusesNodeLevelChanges) {
  auto session = Session();
  ASSERT_NE(session, nullptr);
  ASSERT_TRUE(lab_->Fault({"isolate", "pve-03"}).has_value());
  ASSERT_TRUE(WaitForStatus(*session, true, "pve-03", false));
  EXPECT_EQ(lab_->NodeStatus("pve-01").value("quorate", false), true);
  EXPECT_EQ(lab_->NodeStatus("pve-02").value("quorate", false), true);

  safety::GateOptions gate;
  gate.health_timeout = milliseconds(1500);
  transport::ApiClient& api = *session->deps().api;
  EXPECT_TRUE(safety::CheckQuorum(api, {"pve-01", "pve-02"}, gate).has_value());
  Status refused = safety::CheckQuorum(api, {"pve-02", "pve-03"}, gate);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("node 'pve-03' is not online in the quorate partition"), std::string::npos)
      << refused.error().message;
  Status health = safety::MakeHealthGate(api, gate)("pve-03");
  ASSERT_FALSE(health.has_value());
  EXPECT_NE(health.error().message.find("health gate after pve-03"), std::string::npos) << health.error().message;
  Status healthy = safety::MakeHealthGate(api, gate)("pve-02");
  EXPECT_TRUE(healthy.has_value()) << healthy.error().message;
  // The quorate partition still takes the lock: an apply of other nodes may run.
  Ran ok = Apply();
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace hainfra::testing
