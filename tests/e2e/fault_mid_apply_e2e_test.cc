// The fault-injection matrix's mid-apply rows against pvesim: a node goes offline, quorum is lost, pvesim
// itself crashes and comes back, a task hangs past its timeout, a storm of 503/429 answers. Each row asserts
// the exit status and message, that nothing was lost or duplicated, that a re-run converges and that the
// plan after it is empty. docs/faults.md lists the matrix.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/fault_matrix.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

// Storage first, then two guests on two nodes (the plan's kind order runs storage before guests).
std::string MidApplySpec() {
  return FaultSpecHead("  - { id: fm-nfs, type: nfs, server: 10.30.0.20, export: /export/fm, content: [backup] }\n") +
         FaultGuestsYaml() +
         "  - { vmid: 150, name: fm-one, node: pve-01, cores: 1, memory: 512 }\n"
         "  - { vmid: 160, name: fm-two, node: pve-02, cores: 1, memory: 512 }\n";
}

class FaultMidApply : public ::testing::Test {
 protected:
  void SetUp() override {
    PvesimOptions options;
    options.args = WorldArgs(dir_, GuestWorld(9, {101, 102}));
    options.args.insert(options.args.end(), {"--seed", "7"});
    cluster_ = E2eCluster::Start(options);
    if (cluster_->sim().skipped()) GTEST_SKIP() << cluster_->sim().error();
    ASSERT_TRUE(cluster_->sim().ok()) << cluster_->sim().error();
    // The transport's own repeats wait 20 ms, doubling (200 ms by default): the rows that must give up do so
    // in a fraction of the time, with the same number of tries.
    cluster_->SetEnv("HAINFRA_API_RETRY_DELAY_MS", "20");
    spec_ = LoadOrFail(*cluster_, MidApplySpec());
    PvesimClient client = cluster_->Client();
    before_ = FaultInventory(client);
  }

  // Few, fast step retries: a row that must fail fails in a bounded few seconds.
  static cli::ApplyCommandOptions BoundedApply() {
    cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
    options.retry.attempts = 3;
    return options;
  }

  std::set<std::string> Expected(std::initializer_list<const char*> added) const {
    std::set<std::string> out = before_;
    for (const char* a : added) out.insert(a);
    return out;
  }

  // The re-run converges and the plan after it is empty; everything declared is there exactly once.
  void ExpectRerunConverges() {
    ASSERT_NO_FATAL_FAILURE(ApplyConverges(*cluster_, spec_));
    PvesimClient client = cluster_->Client();
    EXPECT_EQ(FaultInventory(client), Expected({"storage/fm-nfs", "guest/150", "guest/160"}));
    std::multiset<int> ids = FaultGuestIds(client);
    EXPECT_EQ(ids.count(150), 1u);
    EXPECT_EQ(ids.count(160), 1u);
  }

  TempDir dir_{"fault-mid-apply"};
  std::unique_ptr<E2eCluster> cluster_;
  Spec spec_;
  std::set<std::string> before_;
};

TEST_F(FaultMidApply, ANodeGoingOfflineFailsItsStepsNamingItAndTheRerunConverges) {
  PvesimClient client = cluster_->Client();
  // Right after the storage is written, pve-02 goes away: vm/160's create is proxied to nowhere.
  AddFaultRule(client, {{"method", "POST"}, {"path", "^/storage$"}, {"then", {{"offline", "pve-02"}}}, {"count", 1}});
  const auto started = std::chrono::steady_clock::now();
  const CommandRun apply = cluster_->RunApply(spec_, BoundedApply());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("No route to host"), std::string::npos) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("vm/160"), std::string::npos) << apply.out << apply.err;
  // Nothing lost: what ran before the node left is there, the rest untouched.
  EXPECT_EQ(FaultInventory(client), Expected({"storage/fm-nfs", "guest/150"}));

  ASSERT_EQ(client.Control("POST", "/nodes/pve-02/online").status, 200);
  ExpectRerunConverges();
}

TEST_F(FaultMidApply, QuorumLostMidApplyRefusesWritesAsProxmoxDoesAndTheRerunConverges) {
  PvesimClient client = cluster_->Client();
  AddFaultRule(client, {{"method", "POST"}, {"path", "^/storage$"}, {"then", {{"lose_quorum", true}}}, {"count", 1}});
  const auto started = std::chrono::steady_clock::now();
  const CommandRun apply = cluster_->RunApply(spec_, BoundedApply());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("cluster not ready - no quorum?"), std::string::npos) << apply.out << apply.err;
  EXPECT_EQ(FaultInventory(client), Expected({"storage/fm-nfs"}));

  ASSERT_EQ(client.Control("POST", "/quorum/restore").status, 200);
  ExpectRerunConverges();
}

TEST_F(FaultMidApply, PvesimCrashingAfterACommitIsRiddenOutWhenItComesBackWithItsState) {
  PvesimClient client = cluster_->Client();
  // pvesim writes the storage, flushes its state and dies without answering; a new pvesim on the same port
  // and state dir takes over while the apply retries.
  AddFaultRule(client, {{"method", "POST"}, {"path", "^/storage$"}, {"then", {{"crash", true}}}, {"count", 1}});
  // Its repeats must outlast pvesim's restart: the default backoff here.
  cluster_->SetEnv("HAINFRA_API_RETRY_DELAY_MS", "200");
  const pid_t first = cluster_->sim().pid();
  std::unique_ptr<PvesimProcess> second;
  std::thread restarter([&] {
    for (int i = 0; i < 300 && ProcessAlive(first); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    PvesimOptions again;
    again.state_dir = cluster_->sim().state_dir();
    again.args = {"--port", std::to_string(cluster_->sim().port())};
    second = PvesimProcess::Start(again);
  });
  const CommandRun apply = cluster_->RunApply(spec_);
  restarter.join();
  ASSERT_TRUE(second && second->ok()) << (second ? second->error() : "not restarted");
  EXPECT_FALSE(ProcessAlive(first));
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("retrying"), std::string::npos) << apply.out << apply.err;
  // The storage written before the crash survived it and was adopted, not created twice.
  EXPECT_EQ(FaultInventory(client), Expected({"storage/fm-nfs", "guest/150", "guest/160"}));
  ExpectRerunConverges();
}

TEST_F(FaultMidApply, ATaskHangingPastTheTaskTimeoutFailsItsStepInBoundedTimeAndTheRerunAdoptsTheGuest) {
  PvesimClient client = cluster_->Client();
  cluster_->SetEnv("HAINFRA_TASK_TIMEOUT", "1");
  AddFaultRule(client, {{"task", {{"type", "qmcreate"}, {"id", "160"}}}, {"duration_ms", 4000}, {"count", 1}});
  const auto started = std::chrono::steady_clock::now();
  const CommandRun apply = cluster_->RunApply(spec_, BoundedApply());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(3500));
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("is still running after 1 s (left running)"), std::string::npos)
      << apply.out << apply.err;
  // The task goes on in Proxmox; once it is done, the re-run finds the guest and adopts it.
  for (int i = 0; i < 100 && client.Control("GET", "/status").data().value("running_tasks", 0) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ExpectRerunConverges();
}

TEST_F(FaultMidApply, AStormOf503And429IsRiddenOutWithBackoff) {
  PvesimClient client = cluster_->Client();
  ASSERT_EQ(client.Control("DELETE", "/requests").status, 200);
  ASSERT_EQ(client.Control("PUT", "/faults", {{"error_rates", {{"503", 0.05}, {"429", 0.05}}}}).status, 200);
  const CommandRun apply = cluster_->RunApply(spec_);
  ASSERT_EQ(client.Control("DELETE", "/faults").status, 200);
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  int refused = 0;
  for (const auto& r : client.Control("GET", "/requests?limit=5000").data()) {
    if (r.value("status", 0) == 503 || r.value("status", 0) == 429) ++refused;
  }
  EXPECT_GT(refused, 0) << "the storm never hit";
  EXPECT_EQ(FaultInventory(client), Expected({"storage/fm-nfs", "guest/150", "guest/160"}));
  ExpectRerunConverges();
}

TEST_F(FaultMidApply, AStormThatNeverEndsGivesUpInBoundedTimeNamingTheStatus) {
  PvesimClient client = cluster_->Client();
  ASSERT_EQ(client.Control("PUT", "/faults", {{"error_rates", {{"503", 1.0}}}}).status, 200);
  const auto started = std::chrono::steady_clock::now();
  const CommandRun apply = cluster_->RunApply(spec_, BoundedApply());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  ASSERT_EQ(client.Control("DELETE", "/faults").status, 200);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("Service Unavailable"), std::string::npos) << apply.out << apply.err;
  EXPECT_EQ(FaultInventory(client), before_);
  ExpectRerunConverges();
}

}  // namespace
}  // namespace hainfra::testing
