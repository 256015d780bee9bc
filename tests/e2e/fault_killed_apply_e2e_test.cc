// The fault-injection matrix's SIGKILL row: `hainfra apply` killed with SIGKILL in the middle of its steps
// (pvesim for the API, a real sshd for the pmxcfs side of the cluster lock, on a plain folder standing in
// for /etc/pve). The next apply finds the stale lock and names its holder; the documented recovery
// (docs/faults.md: `hainfra unlock --force`) clears it; the re-run adopts what the killed run did,
// converges, and leaves no half-written file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/fault_matrix.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/sshd_fixture.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

class FaultKilledApply : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0) GTEST_SKIP() << "no sshd";
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
    PvesimOptions options;
    options.args = WorldArgs(dir_, GuestWorld(9, {101, 102}));
    cluster_ = E2eCluster::Start(options);
    if (cluster_->sim().skipped()) GTEST_SKIP() << cluster_->sim().error();
    ASSERT_TRUE(cluster_->sim().ok()) << cluster_->sim().error();
    cluster_->SetEnv("HAINFRA_SSH_USER", sshd_.user());
    cluster_->SetEnv("HAINFRA_SSH_IDENTITY", sshd_.client_key());
    cluster_->SetEnv("HAINFRA_SSH_KNOWN_HOSTS", sshd_.known_hosts());
    cluster_->SetEnv("HAINFRA_SSH_ADDRESSES", "pve-01=127.0.0.1:" + std::to_string(sshd_.port()));
    std::filesystem::create_directories(Cfs() + "/priv");
    spec_ = LoadOrFail(*cluster_, FaultSpecHead() + FaultGuestsYaml() +
                                      "  - { vmid: 150, name: fm-one, node: pve-01, cores: 1, memory: 512 }\n"
                                      "  - { vmid: 160, name: fm-two, node: pve-02, cores: 1, memory: 512 }\n");
  }

  std::string Cfs() const { return dir_.File("pve"); }

  // `hainfra apply --auto-approve` with the cluster lock, as main.cc runs it.
  CommandRun SafeApply() const {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    CommandRun run;
    auto session = cli::ClusterSession::Open(spec_, cluster_->Env(), nullptr);
    if (!session) {
      run.exit_code = 1;
      run.err = session.error().message;
      return run;
    }
    cli::SafetyFlags flags;
    flags.pause.cfs = Cfs();
    run.exit_code = cli::RunSafeApply(spec_, **session, E2eCluster::DefaultApply(), flags, console);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  CommandRun Unlock(bool force) const {
    std::ostringstream out, err;
    CommandRun run;
    auto session = cli::ClusterSession::Open(spec_, cluster_->Env(), nullptr);
    if (!session) {
      run.err = session.error().message;
      return run;
    }
    run.exit_code = cli::RunUnlock(**session, force, out, err, Cfs());
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  SshdFixture sshd_;
  TempDir dir_{"fault-killed"};
  std::unique_ptr<E2eCluster> cluster_;
  Spec spec_;
};

TEST_F(FaultKilledApply, ASigkilledApplyLeavesAStaleLockThatIsNamedAndTheRerunAfterUnlockConverges) {
  PvesimClient client = cluster_->Client();
  const std::set<std::string> before = FaultInventory(client);
  // vm/160's create waits a moment in "the network", so the kill lands with vm/150 done and vm/160 not.
  AddFaultRule(client, {{"method", "POST"}, {"path", "^/nodes/pve-02/qemu$"}, {"latency_ms", 1000}, {"count", 1}});

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    CommandRun run = SafeApply();
    _exit(run.exit_code == 0 ? 0 : 3);
  }
  bool mid_apply = false;
  for (int i = 0; i < 300 && !mid_apply; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    mid_apply = FaultGuestIds(client).count(150) == 1 && std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply");
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(mid_apply) << "the apply never got to vm/150";
  ASSERT_TRUE(WIFSIGNALED(status));
  // The request in flight when it died may still land (as with a real proxy): let it, as Proxmox would
  // (bounded: it lands once its latency is over).
  for (int i = 0; i < 100 && FaultGuestIds(client).count(160) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (int i = 0; i < 50 && client.Control("GET", "/status").data().value("running_tasks", 0) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  // The next apply refuses: the lock is stale, and it says whose it was and what to do.
  const CommandRun refused = SafeApply();
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("is stale: it is held by"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("(pid " + std::to_string(child) + ")"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("hainfra unlock --force"), std::string::npos) << refused.err;
  // Nothing was lost: the world's guests are all there, and what the killed run did stays.
  std::set<std::string> now = FaultInventory(client);
  for (const std::string& entry : before) EXPECT_TRUE(now.contains(entry)) << entry;
  EXPECT_TRUE(now.contains("guest/150"));

  // The documented recovery: look at the holder, remove the lock, re-run.
  const CommandRun shown = Unlock(false);
  EXPECT_NE(shown.out.find("(pid " + std::to_string(child) + ")"), std::string::npos) << shown.out << shown.err;
  const CommandRun unlocked = Unlock(true);
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.out << unlocked.err;
  const CommandRun rerun = SafeApply();
  EXPECT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  ExpectEmptyPlan(*cluster_, spec_);
  std::set<std::string> after = before;
  after.insert("guest/150");
  after.insert("guest/160");
  EXPECT_EQ(FaultInventory(client), after);
  EXPECT_EQ(FaultGuestIds(client).count(160), 1u);

  // No half-written file anywhere: no temporary beside the lock's holder file nor in pvesim's /etc/pve.
  for (const std::string& root : {Cfs(), cluster_->sim().state_dir() + "/etc-pve"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      EXPECT_FALSE(name.ends_with(".new") || name.ends_with(".tmp") || name.find(".tmp.") != std::string::npos)
          << entry.path();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply"));
}

}  // namespace
}  // namespace hainfra::testing
