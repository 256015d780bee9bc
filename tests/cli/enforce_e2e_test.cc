// `hainfra enforce`, `pause` and `resume` end to end: pvesim for the API, a real sshd for the pmxcfs side
// (the cluster lock and the pause record, on a plain folder standing in for /etc/pve).
#include "cli/enforce_command.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include <filesystem>
#include <sstream>

#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "providers/safety/cluster_lock.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/sshd_fixture.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

constexpr const char* kEnforceVms = R"(
vms:
  - vmid: 100
    name: web
    node: pve-01
    cores: 2
    memory: 2048
)";

class EnforceE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0) GTEST_SKIP() << "no sshd";
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
    cluster_ = E2eCluster::Start();
    if (cluster_->sim().skipped()) GTEST_SKIP() << cluster_->sim().error();
    ASSERT_TRUE(cluster_->sim().ok()) << cluster_->sim().error();
    cluster_->SetEnv("HAINFRA_SSH_USER", sshd_.user());
    cluster_->SetEnv("HAINFRA_SSH_IDENTITY", sshd_.client_key());
    cluster_->SetEnv("HAINFRA_SSH_KNOWN_HOSTS", sshd_.known_hosts());
    cluster_->SetEnv("HAINFRA_SSH_ADDRESSES", "pve-01=127.0.0.1:" + std::to_string(sshd_.port()));
    const std::string text = std::string(kVmSpecHeader) + kEnforceVms;
    WriteText(SpecFile(), text);
    auto spec = cluster_->Load(text);
    ASSERT_TRUE(spec) << spec.error().message;
    spec_ = std::move(*spec);
    CommandRun applied = cluster_->RunApply(spec_);
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
  }

  std::string SpecFile() const { return dir_.File("hainfra.yaml"); }
  std::string Cfs() const { return dir_.File("pve"); }

  cli::EnforceOptions Options() const {
    cli::EnforceOptions o;
    o.spec_paths = {SpecFile()};
    o.report = dir_.File("report.json");
    o.junit = dir_.File("report.xml");
    o.metrics = dir_.File("hainfra.prom");
    o.log = dir_.File("runs.jsonl");
    o.location.state_dir = dir_.File("state");
    o.location.cfs = Cfs();
    o.env = cluster_->Env();
    o.lock_wait = std::chrono::milliseconds(200);
    o.retry.initial = std::chrono::milliseconds(50);
    o.retry.max = std::chrono::milliseconds(200);
    return o;
  }

  CommandRun Enforce(const cli::EnforceOptions& options) const {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    CommandRun run;
    run.exit_code = cli::RunEnforce(options, console);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  Value Report() const { return Value::parse(ReadText(dir_.File("report.json"))); }
  std::string Metrics() const { return ReadText(dir_.File("hainfra.prom")); }

  void DriftCoresOutOfBand() {
    auto put = cluster_->Client().Put("/nodes/pve-01/qemu/100/config", {{"cores", "6"}});
    ASSERT_EQ(put.status, 200) << put.raw;
  }

  // pause / resume through their own session, as a colleague's laptop would.
  CommandRun PauseOrResume(bool pause, int64_t now, const std::string& until = "", bool api_only = false) {
    std::ostringstream out, err;
    CommandRun run;
    auto session = cli::ClusterSession::Open(spec_, api_only ? ApiOnlyEnv() : cluster_->Env(), nullptr);
    if (!session) {
      run.err = session.error().message;
      return run;
    }
    cli::PauseOptions options;
    options.location.cfs = Cfs();
    options.location.state_dir = dir_.File("state");
    options.reason = "kernel upgrades on pve-02";
    options.until = until;
    options.now = now;
    run.exit_code = pause ? cli::RunPause(**session, options, out, err) : cli::RunResume(**session, options.location, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  // pvesim's settings without SSH: what an API-only runner has.
  transport::EnvLookup ApiOnlyEnv() const {
    std::map<std::string, std::string> env = cluster_->sim().env();
    env["HAINFRA_SSH"] = "off";
    return [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() || it->second.empty() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  SshdFixture sshd_;
  TempDir dir_{"enforce-e2e"};
  std::unique_ptr<E2eCluster> cluster_;
  Spec spec_;
};

TEST_F(EnforceE2e, EnforceOnceCorrectsDriftAndTheSecondRunFindsNone) {
  DriftCoresOutOfBand();
  CommandRun first = Enforce(Options());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  Value report = Report();
  EXPECT_EQ(report["outcome"], "succeeded") << report.dump(2);
  ASSERT_EQ(report["drifted"].size(), 1u);
  EXPECT_EQ(report["drifted"][0]["fields"][0], "cores");
  EXPECT_EQ(report["corrected"], Value({"vm/100"}));
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 2);
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply")) << "the lock is released";

  CommandRun second = Enforce(Options());
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  report = Report();
  EXPECT_EQ(report["outcome"], "succeeded");
  EXPECT_TRUE(report["drifted"].empty()) << report.dump(2);
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 1\n"), std::string::npos) << Metrics();
  EXPECT_NE(Metrics().find("\nhainfra_corrected_objects_total 1\n"), std::string::npos) << Metrics();
  EXPECT_NE(Metrics().find("\nhainfra_drift_objects{kind=\"vm\"} 0\n"), std::string::npos) << Metrics();

  const std::string log = ReadText(dir_.File("runs.jsonl"));
  std::istringstream lines(log);
  std::string line1, line2;
  ASSERT_TRUE(std::getline(lines, line1) && std::getline(lines, line2)) << log;
  EXPECT_EQ(Value::parse(line1)["corrected"], Value({"vm/100"}));
  EXPECT_TRUE(Value::parse(line2)["drifted"].empty());
  EXPECT_FALSE(Value::parse(line2)["runner"]["host"].get<std::string>().empty());
}

TEST_F(EnforceE2e, ALockHeldElsewhereSkipsWithExitZeroAndTheHolderInTheReport) {
  DriftCoresOutOfBand();
  auto ssh = transport::SshClient::Create(sshd_.Settings());
  ASSERT_TRUE(ssh) << ssh.error().message;
  safety::LockOptions lock_options;
  lock_options.cfs = Cfs();
  lock_options.wait = std::chrono::milliseconds(200);
  safety::LockHolder holder = safety::LockHolder::Current();
  holder.host = "ci-runner-9";
  auto held = safety::ClusterLock::Acquire(**ssh, "pve-01", lock_options, holder);
  ASSERT_TRUE(held) << held.error().message;

  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const Value report = Report();
  EXPECT_EQ(report["outcome"], "skipped");
  EXPECT_NE(report["reason"].get<std::string>().find("held by"), std::string::npos) << report["reason"];
  EXPECT_NE(report["reason"].get<std::string>().find("ci-runner-9"), std::string::npos) << report["reason"];
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6) << "nothing was changed";
  EXPECT_TRUE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply")) << "the other holder keeps its lock";
}

TEST_F(EnforceE2e, APauseIsSeenByASecondRunnerThroughPmxcfsUntilResumed) {
  DriftCoresOutOfBand();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  CommandRun paused = PauseOrResume(true, now);
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  EXPECT_NE(paused.out.find("kernel upgrades on pve-02"), std::string::npos) << paused.out;
  EXPECT_TRUE(std::filesystem::exists(Cfs() + "/priv/hainfra-pause.json"));

  CommandRun skipped = Enforce(Options());
  EXPECT_EQ(skipped.exit_code, 0) << skipped.out << skipped.err;
  Value report = Report();
  EXPECT_EQ(report["outcome"], "skipped");
  EXPECT_NE(report["reason"].get<std::string>().find("kernel upgrades on pve-02"), std::string::npos) << report["reason"];
  EXPECT_EQ(report["pause"]["paused"], true);
  EXPECT_NE(Metrics().find("\nhainfra_paused 1\n"), std::string::npos) << Metrics();
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6) << "nothing was changed";

  auto laptop = cli::ClusterSession::Open(spec_, cluster_->Env(), nullptr);
  ASSERT_TRUE(laptop) << laptop.error().message;
  std::ostringstream notice;
  cli::PauseLocation location;
  location.cfs = Cfs();
  EXPECT_TRUE(cli::PrintPauseNotice(**laptop, location, now, notice)) << "plan and apply print the pause";
  EXPECT_NE(notice.str().find("notice: enforcement is paused by "), std::string::npos) << notice.str();

  CommandRun resumed = PauseOrResume(false, now);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resumed"), std::string::npos) << resumed.out;
  CommandRun corrected = Enforce(Options());
  EXPECT_EQ(corrected.exit_code, 0) << corrected.out << corrected.err;
  EXPECT_EQ(Report()["corrected"], Value({"vm/100"}));
  EXPECT_NE(Metrics().find("\nhainfra_paused 0\n"), std::string::npos);
}

TEST_F(EnforceE2e, AnExpiredPauseIsIgnored) {
  DriftCoresOutOfBand();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  // Paused two hours ago for one hour.
  CommandRun paused = PauseOrResume(true, now - 7200, "1h");
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(Report()["outcome"], "succeeded") << Report().dump(2);
  EXPECT_EQ(Report()["corrected"], Value({"vm/100"}));
}

TEST_F(EnforceE2e, ApplyRefusesWhilePausedUnlessIgnorePause) {
  DriftCoresOutOfBand();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ASSERT_EQ(PauseOrResume(true, now).exit_code, 0);
  auto apply = [&](bool ignore_pause) {
    auto session = cli::ClusterSession::Open(spec_, cluster_->Env(), nullptr);
    EXPECT_TRUE(session) << session.error().message;
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::SafetyFlags flags;
    flags.now = now;
    flags.ignore_pause = ignore_pause;
    flags.no_lock = true;  // the lock's /etc/pve is not this test's folder
    flags.pause.cfs = Cfs();
    CommandRun run;
    run.exit_code = cli::RunSafeApply(spec_, **session, E2eCluster::DefaultApply(), flags, console);
    run.out = out.str();
    run.err = err.str();
    return run;
  };
  CommandRun refused = apply(false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("notice: enforcement is paused"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--ignore-pause"), std::string::npos) << refused.err;
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
  CommandRun forced = apply(true);
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 2);
}

TEST_F(EnforceE2e, AFailedRunWritesSuccessZeroAndTheBackoffGrowsAcrossRunsAndProcesses) {
  cli::EnforceOptions options = Options();
  cluster_->SetEnv("HAINFRA_API_ENDPOINT", "https://127.0.0.1:" + std::to_string(FreeLoopbackPort()));
  options.env = cluster_->Env();
  options.every = std::chrono::seconds(10);
  options.max_runs = 3;
  std::vector<std::chrono::milliseconds> waits;
  options.wait = [&waits](std::chrono::milliseconds d) { waits.push_back(d); };
  CommandRun run = Enforce(options);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0], std::chrono::seconds(20));
  EXPECT_EQ(waits[1], std::chrono::seconds(40));
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 0\n"), std::string::npos) << Metrics();
  EXPECT_NE(Metrics().find("\nhainfra_consecutive_failures 3\n"), std::string::npos) << Metrics();
  EXPECT_EQ(Report()["outcome"], "failed");

  // The next process knows: it backs off until the recorded time, still reporting the failure.
  options.max_runs = 0;
  options.every = std::chrono::seconds(0);
  CommandRun next = Enforce(options);
  EXPECT_EQ(next.exit_code, 0) << next.out << next.err;
  EXPECT_EQ(Report()["outcome"], "skipped");
  EXPECT_NE(Report()["reason"].get<std::string>().find("backing off after 3 failed run(s)"), std::string::npos)
      << Report()["reason"];
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 0\n"), std::string::npos) << Metrics();
}

TEST_F(EnforceE2e, AStopDuringTheLoopEndsItWithExitZeroAndNoLock) {
  DriftCoresOutOfBand();
  std::atomic<bool> stop{false};
  cli::EnforceOptions options = Options();
  options.every = std::chrono::seconds(60);
  options.stop = &stop;
  int waits = 0;
  options.wait = [&](std::chrono::milliseconds) {
    ++waits;
    stop = true;  // SIGTERM while waiting for the next run
  };
  CommandRun run = Enforce(options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(waits, 1);
  EXPECT_NE(run.out.find("enforce: stopped"), std::string::npos) << run.out;
  EXPECT_EQ(Report()["corrected"], Value({"vm/100"}));
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply"));
}

TEST_F(EnforceE2e, AStopBeforeApplyingReportsTheDriftAndReleasesTheLock) {
  DriftCoresOutOfBand();
  std::atomic<bool> stop{false};
  cli::EnforceOptions options = Options();
  options.stop = &stop;
  options.clock = [&stop] {  // SIGTERM as the run starts: it plans, then stops before any step
    stop = true;
    return static_cast<int64_t>(std::time(nullptr));
  };
  CommandRun run = Enforce(options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(Report()["outcome"], "skipped");
  EXPECT_NE(Report()["reason"].get<std::string>().find("interrupted"), std::string::npos) << Report()["reason"];
  EXPECT_EQ(Report()["drifted"].size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply"));
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
}

TEST_F(EnforceE2e, ADestructiveChangeNeverRunsUnattended) {
  // vm/100 marked absent: a delete, which only `apply --allow-destroy` may run. The policy withholds it
  // ("destructive"); were one let through, the run would refuse it rather than delete.
  WriteText(SpecFile(), std::string(kVmSpecHeader) + kEnforceVms + "    state: absent\n");
  CommandRun run = Enforce(Options());
  const Value report = Report();
  ASSERT_EQ(report["drifted"].size(), 1u) << report.dump(2) << run.err;
  EXPECT_EQ(report["drifted"][0]["action"], "delete");
  EXPECT_TRUE(report["corrected"].empty());
  std::string why = report["reason"].get<std::string>();
  for (const Value& w : report["withheld"]) why += " " + w["reason"].get<std::string>();
  EXPECT_NE(why.find("destructive"), std::string::npos) << report.dump(2);
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").status, 200) << "vm/100 still exists";
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/lock/hainfra-apply"));
}

TEST_F(EnforceE2e, TheBinaryLoopsUntilSigtermThenExitsZero) {
  std::map<std::string, std::string> env = cluster_->sim().env();
  env["HAINFRA_SSH"] = "off";
  const std::string log = dir_.File("loop.jsonl");
  const pid_t pid = SpawnProcess({std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra", "enforce", "-f", SpecFile(),
                                  "--every", "1s", "--no-lock", "--state-dir", dir_.File("state"), "--log", log,
                                  "--metrics", dir_.File("hainfra.prom")},
                                 dir_.File("loop.out"), env);
  ASSERT_GT(pid, 0);
  for (int i = 0; i < 600 && ReadText(log).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(ReadText(log).empty()) << ReadText(dir_.File("loop.out"));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status)) << ReadText(dir_.File("loop.out"));
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadText(dir_.File("loop.out"));
  EXPECT_NE(ReadText(dir_.File("loop.out")).find("enforce: stopped"), std::string::npos) << ReadText(dir_.File("loop.out"));
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 1\n"), std::string::npos) << Metrics();
}

TEST_F(EnforceE2e, WithoutSshAPauseIsKeptOnThisMachineAndSaysSo) {
  DriftCoresOutOfBand();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  CommandRun paused = PauseOrResume(true, now, "", true);
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  EXPECT_NE(paused.err.find("kept on this machine only"), std::string::npos) << paused.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("state") + "/pause.json"));
  EXPECT_FALSE(std::filesystem::exists(Cfs() + "/priv/hainfra-pause.json"));

  cli::EnforceOptions options = Options();
  options.env = ApiOnlyEnv();
  options.no_lock = true;
  CommandRun run = Enforce(options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(Report()["outcome"], "skipped");
  EXPECT_NE(Report()["pause"]["where"].get<std::string>().find("this machine only"), std::string::npos)
      << Report().dump(2);
}

TEST_F(EnforceE2e, AClusterWithoutQuorumIsSkippedNotChanged) {
  DriftCoresOutOfBand();
  auto lost = cluster_->Client().Control("POST", "/quorum/lose");
  ASSERT_EQ(lost.status, 200) << lost.raw;
  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(Report()["outcome"], "skipped");
  EXPECT_NE(Report()["reason"].get<std::string>().find("no quorum"), std::string::npos) << Report()["reason"];
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 1\n"), std::string::npos) << "a skip is not a failure";
  ASSERT_EQ(cluster_->Client().Control("POST", "/quorum/restore").status, 200);
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
}

TEST_F(EnforceE2e, WarnModeReportsTheDriftWithheldAndExitsZero) {
  DriftCoresOutOfBand();
  WriteText(SpecFile(), std::string(kVmSpecHeader) + kEnforceVms + "enforcement:\n  mode: warn\n");
  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const Value report = Report();
  EXPECT_EQ(report["outcome"], "drift") << report.dump(2);
  ASSERT_EQ(report["withheld"].size(), 1u) << report.dump(2);
  EXPECT_EQ(report["withheld"][0]["address"], "vm/100");
  EXPECT_NE(report["withheld"][0]["reason"].get<std::string>().find("warn mode"), std::string::npos) << report.dump(2);
  EXPECT_TRUE(report["corrected"].empty());
  EXPECT_NE(run.out.find("withheld: vm/100 (update): warn mode"), std::string::npos) << run.out;
  EXPECT_NE(Metrics().find("\nhainfra_withheld_changes 1\n"), std::string::npos) << Metrics();
  EXPECT_NE(Metrics().find("\nhainfra_last_run_success 1\n"), std::string::npos) << Metrics();
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
}

TEST_F(EnforceE2e, InsideADenyWindowTheDriftIsReportedAndNothingIsCorrected) {
  DriftCoresOutOfBand();
  WriteText(SpecFile(), std::string(kVmSpecHeader) + kEnforceVms +
                            "enforcement:\n  windows:\n"
                            "    - { name: freeze, deny: \"*-*-* 00:00..23:59\", timezone: Europe/Berlin }\n");
  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const Value report = Report();
  EXPECT_EQ(report["outcome"], "drift") << report.dump(2);
  EXPECT_EQ(report["window"]["open"], false) << report.dump(2);
  EXPECT_NE(report["window"]["note"].get<std::string>().find("freeze"), std::string::npos) << report.dump(2);
  ASSERT_EQ(report["withheld"].size(), 1u) << report.dump(2);
  EXPECT_EQ(report["withheld"][0]["address"], "vm/100");
  EXPECT_TRUE(report["corrected"].empty()) << report.dump(2);
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
}

TEST_F(EnforceE2e, IgnoredFieldsAreNeverReportedOnlyCounted) {
  DriftCoresOutOfBand();
  WriteText(SpecFile(), std::string(kVmSpecHeader) + kEnforceVms +
                            "enforcement:\n  ignore:\n    - { kind: vm, fields: [cores] }\n");
  CommandRun run = Enforce(Options());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const Value report = Report();
  EXPECT_EQ(report["outcome"], "succeeded") << report.dump(2);
  EXPECT_TRUE(report["drifted"].empty()) << report.dump(2);
  EXPECT_EQ(report["ignored_fields"], 1) << report.dump(2);
  EXPECT_NE(Metrics().find("\nhainfra_ignored_fields 1\n"), std::string::npos) << Metrics();
  EXPECT_EQ(cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data()["cores"], 6);
}

}  // namespace
}  // namespace hainfra::testing
