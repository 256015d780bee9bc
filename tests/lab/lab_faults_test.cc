// pvelab's node faults for the fault-injection matrix (docs/faults.md): an SSH session cut in the middle of
// a command, and a frozen node, as hainfra's own SSH client sees them; then the matrix's SSH rows
// (LabSshCut, below): the session cut in the middle of each host step.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "cli/apply_command.h"
#include "providers/transport/ssh_client.h"
#include "providers/transport/ssh_settings.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/lab_commands.h"
#include "tests/testing/pvelab_fixture.h"
#include "tests/testing/subprocess.h"

namespace hainfra::testing {
namespace {

class LabNodeFaults : public LabTest {
 protected:
  std::unique_ptr<transport::SshClient> Client() {
    transport::SshSettings settings;
    const auto& env = lab_->Env();
    auto lookup = [&env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    Status applied = transport::ApplySshEnvironment(settings, lookup);
    EXPECT_TRUE(applied.has_value()) << applied.error().message;
    settings.connect_timeout = std::chrono::seconds(3);
    auto client = transport::SshClient::Create(settings);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }
};

TEST_F(LabNodeFaults, ACutSshSessionFailsTheCommandInFlightAndTheNextCommandReconnects) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  ASSERT_TRUE(ssh->RunChecked("pve-02", {"true"}).has_value());
  auto in_flight = std::async(std::launch::async, [&] { return ssh->Run("pve-02", {"sleep", "20"}); });
  ASSERT_EQ(in_flight.wait_for(std::chrono::milliseconds(800)), std::future_status::timeout);
  ASSERT_TRUE(lab_->Fault({"ssh-cut", "pve-02"}).has_value());
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the cut did not end the session";
  auto cut = in_flight.get();
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code, Code::kUnavailable) << cut.error().message;
  auto next = ssh->RunChecked("pve-02", {"hostname"});
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_EQ(*next, "pve-02\n");
}

TEST_F(LabNodeFaults, AFrozenNodeAnswersNothingUntilThawed) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  ASSERT_TRUE(lab_->Fault({"freeze", "pve-03"}).has_value());
  const auto started = std::chrono::steady_clock::now();
  auto frozen = ssh->Run("pve-03", {"true"}, {.stdin_data = "", .timeout = std::chrono::seconds(3)});
  EXPECT_FALSE(frozen.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "not bounded by the timeouts";
  ASSERT_TRUE(lab_->Fault({"thaw", "pve-03"}).has_value());
  ssh->Disconnect("pve-03");
  auto thawed = ssh->RunChecked("pve-03", {"hostname"});
  ASSERT_TRUE(thawed.has_value()) << thawed.error().message;
  EXPECT_EQ(*thawed, "pve-03\n");
}

}  // namespace
}  // namespace hainfra::testing

// The fault-injection matrix's SSH rows against pvelab (docs/faults.md): the SSH session to a node drops in
// the middle of a host step — packages, sshd, corosync, network — at the moment the step's command reaches
// the node. Each row asserts the exit status and message, that nothing is half-written on the node, that a
// re-run converges, and that the plan after it is empty. One lab for the suite: each row touches its own
// node or file and leaves it converged.
//
// How the cut lands where it should: the suite puts a shim for `apt-get`, `sshd`, `mv` and `rm` first in
// the nodes' PATH (/usr/local/bin). Armed with a pattern, the first command whose arguments match it stops,
// says so in the shared /etc/pve, and waits; the test cuts the node's SSH sessions (`pvelab fault ssh-cut`)
// and then lets the command go on without its session (as a command does on a node whose client went
// away: "proceed") or end with it ("die").
namespace hainfra::testing {
namespace {

namespace fs = std::filesystem;

// What the shimmed command does once its session was cut.
enum class AfterCut { kProceed, kDie };

constexpr const char* kSshCutPrograms[] = {"apt-get", "sshd", "mv", "rm"};

// The shim for PROGRAM (its real path REAL): armed through /etc/pve/.hainfra-cut (shared by every node,
// seen by the host), it fires once, for the first call whose arguments match the armed pattern.
std::string SshCutShim(const std::string& real) {
  return "#!/bin/sh\n"
         "# LabSshCut test shim: pauses " + real + " when its arguments match the armed pattern.\n"
         "c=/etc/pve/.hainfra-cut\n"
         "if [ -e \"$c/pattern\" ] && printf '%s\\n' \"$*\" | /bin/grep -qE -- \"$(/bin/cat \"$c/pattern\")\" &&\n"
         "   /bin/mkdir \"$c/taken\" 2>/dev/null; then\n"
         "  /bin/hostname > \"$c/here.$$\" && /bin/mv -f \"$c/here.$$\" \"$c/here\"\n"
         "  n=0; while [ ! -e \"$c/go\" ] && [ $n -lt 600 ]; do /bin/sleep 0.05; n=$((n + 1)); done\n"
         "  [ \"$(/bin/cat \"$c/go\" 2>/dev/null)\" = die ] && exit 255\n"
         "fi\n"
         "exec " + real + " \"$@\"\n";
}

class LabSshCut : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LabOptions options;
    options.sim = true;
    why_ = PvelabFixture::WhyUnavailable(options);
    if (!why_.empty()) return;
    auto lab = PvelabFixture::Up(options);
    if (!lab) {
      why_ = "the lab did not come up: " + lab.error().message;
      failed_ = true;
      return;
    }
    lab_ = std::move(*lab).release();
    for (const std::string& node : lab_->Nodes()) {
      for (const char* program : kSshCutPrograms) {
        LabCommand real = lab_->Exec(node, std::string("PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v ") + program);
        std::string path = real.output.substr(0, real.output.find('\n'));
        if (real.exit_code != 0 || path.empty()) {
          why_ = node + ": no " + program + ": " + real.output;
          failed_ = true;
          return;
        }
        const std::string shim = std::string("/usr/local/bin/") + program;
        std::string script = SshCutShim(path);
        std::string quoted;
        for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        LabCommand put = lab_->Exec(node, "mkdir -p /usr/local/bin && printf '%s' '" + quoted + "' > " + shim +
                                              " && chmod 0755 " + shim);
        if (put.exit_code != 0) {
          why_ = node + ": cannot install the shim for " + program + ": " + put.output;
          failed_ = true;
          return;
        }
      }
    }
  }

  static void TearDownTestSuite() {
    if (lab_ != nullptr) {
      (void)lab_->Down();
      delete lab_;
      lab_ = nullptr;
    }
  }

  void SetUp() override {
    if (failed_) FAIL() << why_;
    if (lab_ == nullptr) GTEST_SKIP() << why_;
    setenv("HAINFRA_NETWORK_CONFIRM_SECONDS", "1", 1);
    setenv("HAINFRA_COROSYNC_VERIFY_S", "10", 1);
  }

  void TearDown() override {
    unsetenv("HAINFRA_NETWORK_CONFIRM_SECONDS");
    unsetenv("HAINFRA_COROSYNC_VERIFY_S");
    if (lab_ != nullptr) fs::remove_all(CutDir());
  }

  static std::string CutDir() { return lab_->Cfs() + "/.hainfra-cut"; }

  static void WriteText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
  }

  static std::string ReadText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // The spec: the lab's nodes, `node_extra` (per node: more YAML flow entries of the node's mapping, e.g.
  // ", baseline: standard"), `baselines` and `corosync_totem` (the cluster's totem, a flow mapping).
  static std::string SpecText(const std::map<std::string, std::string>& node_extra, const std::string& baselines = "",
                              const std::string& totem = "") {
    auto prefix = [](const std::string& a) { return a.substr(0, a.rfind('.')); };
    std::string text = "cluster:\n  name: hainfra-lab\n  api:\n    endpoint: https://10.0.0.11:8006\n"
                       "    token: hainfra@pve!ci\n    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\n"
                       "  corosync:\n" +
                       (totem.empty() ? "" : "    totem: " + totem + "\n") + "    links:\n      - { id: 0, network: " +
                       prefix(lab_->Link0("pve-01")) + ".0/24 }\n      - { id: 1, network: " +
                       prefix(lab_->Link1("pve-01")) + ".0/24 }\n";
    if (!baselines.empty()) text += "baselines:\n" + baselines;
    text += "nodes:\n";
    for (const std::string& node : lab_->Nodes()) {
      text += "  - { name: " + node + ", address: " + lab_->Address(node) +
              ", corosync: { link0: " + lab_->Link0(node) + ", link1: " + lab_->Link1(node) + " }";
      auto extra = node_extra.find(node);
      if (extra != node_extra.end()) text += extra->second;
      text += " }\n";
    }
    return text;
  }

  static Spec LoadSpec(const std::string& text) {
    auto spec = LoadSpecForTest(text, "spec.yaml");
    EXPECT_TRUE(spec.has_value()) << spec.error().message << "\n" << text;
    return spec ? *spec : Spec{};
  }

  // One try per step: the run shows the cut as it is, and the re-run has to recognise what it left.
  static CommandRun Apply(const Spec& spec, int attempts = 1) {
    cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
    options.retry.attempts = attempts;
    return RunWithSession(spec, lab_->EnvLookup(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
      return cli::RunApply(spec, kinds, options, console);
    });
  }

  static void ExpectPlanEmpty(const Spec& spec) {
    auto plan = LabPlan(*lab_, spec);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    std::string steps;
    for (const auto& s : plan->steps) steps += s.change.address.ToString() + " " + s.change.reason + "\n";
    EXPECT_TRUE(plan->empty()) << steps;
  }

  // Runs `apply` while a cutter waits for the first call of a shimmed program whose arguments match
  // `pattern`, cuts the SSH sessions of the node it runs on, then lets it go on as `after` says.
  // Returns the run; `cut_node` is where the cut happened ("" when the command never came).
  static CommandRun ApplyWithCut(const Spec& spec, const std::string& pattern, AfterCut after, std::string& cut_node,
                                 int attempts = 1) {
    fs::create_directories(CutDir());
    WriteText(CutDir() + "/pattern", pattern);
    std::atomic<bool> done{false};
    std::string where;
    std::thread cutter([&] {
      const std::string here = CutDir() + "/here";
      while (!done && !fs::exists(here)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!fs::exists(here)) return;
      // The marker is renamed into place with its content; still, read until the name is there.
      for (int i = 0; i < 100 && where.empty(); ++i) {
        where = ReadText(here);
        while (!where.empty() && where.back() == '\n') where.pop_back();
        if (where.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      Status cut = lab_->Fault({"ssh-cut", where});
      EXPECT_TRUE(cut.has_value()) << cut.error().message;
      WriteText(CutDir() + "/go", after == AfterCut::kDie ? "die" : "proceed");
    });
    CommandRun run = Apply(spec, attempts);
    done = true;
    cutter.join();
    fs::remove(CutDir() + "/pattern");
    cut_node = where;
    return run;
  }

  // Files in DIR on NODE whose names contain `part` (one per line; "" when none).
  static std::string Leftovers(const std::string& node, const std::string& dir, const std::string& part) {
    return lab_->Exec(node, "ls -A " + dir + " | grep -F -- '" + part + "' || true").output;
  }

  static std::string why_;
  static bool failed_;
  static PvelabFixture* lab_;
};

std::string LabSshCut::why_;
bool LabSshCut::failed_ = false;
PvelabFixture* LabSshCut::lab_ = nullptr;

TEST_F(LabSshCut, PackagesCutDuringTheAptTransactionLeaveDpkgConsistentAndTheRerunConverges) {
  const std::string node = "pve-01";
  const Spec spec = LoadSpec(SpecText({{node, ", baseline: cutpkg"}},
                                      "  - { name: cutpkg, packages: { present: [hainfra-test-b], versions: "
                                      "{ hainfra-test-a: 1.1-1 } } }\n"));
  std::string cut_node;
  // The real transaction, not its simulation (which comes first with --simulate before the names).
  const CommandRun cut = ApplyWithCut(spec, "force-confold hainfra-test", AfterCut::kProceed, cut_node);
  ASSERT_EQ(cut_node, node) << "the apt transaction never ran: " << cut.out << cut.err;
  EXPECT_EQ(cut.exit_code, 1) << cut.out << cut.err;
  EXPECT_NE((cut.out + cut.err).find("packages/" + node), std::string::npos) << cut.out << cut.err;
  // Nothing half-done: whatever the cut did to apt, dpkg has no package half-installed or half-configured.
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return lab_->Exec(node, "pgrep -x apt-get || pgrep -x dpkg").exit_code != 0; },
                                     std::chrono::seconds(20)));
  EXPECT_EQ(lab_->Exec(node, "dpkg --audit").output, "");

  const CommandRun again = Apply(spec);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(lab_->Exec(node, "dpkg-query -W -f '${Version} ${Status}' hainfra-test-a").output, "1.1-1 hold ok installed");
  EXPECT_EQ(lab_->Exec(node, "dpkg --audit").output, "");
  ExpectPlanEmpty(spec);
}

TEST_F(LabSshCut, SshdCutAfterTheDropInWasWrittenStillReloadsSshdOnTheRerun) {
  const std::string node = "pve-02";
  const std::string drop_in = "/etc/ssh/sshd_config.d/10-hainfra.conf";
  ASSERT_EQ(lab_->Exec(node, "echo 'hainfra cut banner' > /etc/hainfra-cut-banner").exit_code, 0);
  const Spec spec = LoadSpec(SpecText({{node, ", baseline: cutsshd"}},
                                      "  - { name: cutsshd, sshd: { MaxAuthTries: \"4\", Banner: /etc/hainfra-cut-banner } }\n"));
  const std::string before = lab_->Exec(node, "cat " + drop_in + " 2>/dev/null").output;
  // `sshd -t` checks the new drop-in: the cut lands after it was written, before sshd was reloaded.
  std::string cut_node;
  const CommandRun cut = ApplyWithCut(spec, "^-t$", AfterCut::kDie, cut_node);
  ASSERT_EQ(cut_node, node) << cut.out << cut.err;
  EXPECT_EQ(cut.exit_code, 1) << cut.out << cut.err;
  EXPECT_NE((cut.out + cut.err).find("sshd/" + node), std::string::npos) << cut.out << cut.err;
  // A check cut short is no verdict on the file: never reported as sshd refusing it.
  EXPECT_NE((cut.out + cut.err).find("the SSH session was lost while `sshd -t` checked"), std::string::npos)
      << cut.out << cut.err;
  EXPECT_EQ((cut.out + cut.err).find("refused"), std::string::npos) << cut.out << cut.err;
  // Never half-written: the drop-in is the old one or the whole new one, and no temporary file is left.
  const std::string after_cut = lab_->Exec(node, "cat " + drop_in + " 2>/dev/null").output;
  EXPECT_TRUE(after_cut == before || after_cut.find("MaxAuthTries 4\n") != std::string::npos) << after_cut;
  EXPECT_EQ(Leftovers(node, "/etc/ssh/sshd_config.d", "hainfra-tmp"), "");

  const CommandRun again = Apply(spec);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  // The running sshd has the new settings: a new login shows the banner.
  ProcessResult banner = RunProcess({"ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                                     "-o", "UserKnownHostsFile=" + lab_->SshKnownHosts(), "-o",
                                     "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o",
                                     "ConnectTimeout=5", "-o", "LogLevel=INFO", "-i", lab_->SshIdentity(),
                                     "root@" + lab_->Address(node), "true"});
  EXPECT_NE(banner.output.find("hainfra cut banner"), std::string::npos)
      << "sshd was never reloaded after the cut: " << banner.output;
  EXPECT_EQ(Leftovers(node, "/etc/ssh/sshd_config.d", "hainfra-tmp"), "");
  ExpectPlanEmpty(spec);
}

TEST_F(LabSshCut, CorosyncCutWhileCorosyncConfIsMovedIntoPlaceNeverLeavesItHalfWritten) {
  const std::string conf = lab_->Cfs() + "/corosync.conf";
  const std::string before = ReadText(conf);
  const Spec spec = LoadSpec(SpecText({}, "", "{ token: 1200 }"));
  // The command that moves the new corosync.conf into place dies with the session.
  std::string cut_node;
  const CommandRun cut = ApplyWithCut(spec, "corosync\\.conf", AfterCut::kDie, cut_node);
  ASSERT_NE(cut_node, "") << "corosync.conf was never moved: " << cut.out << cut.err;
  EXPECT_EQ(cut.exit_code, 1) << cut.out << cut.err;
  EXPECT_NE((cut.out + cut.err).find("corosync"), std::string::npos) << cut.out << cut.err;
  EXPECT_EQ(ReadText(conf), before) << "the cut move left corosync.conf changed";

  // The re-run writes it whole; the command that moves it now goes on after its session is cut: the next
  // run recognises the change as done.
  fs::remove_all(CutDir());
  const CommandRun lost = ApplyWithCut(spec, "corosync\\.conf", AfterCut::kProceed, cut_node);
  ASSERT_NE(cut_node, "") << lost.out << lost.err;
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return ReadText(conf).find("token: 1200") != std::string::npos; },
                                     std::chrono::seconds(10)))
      << ReadText(conf);
  const CommandRun again = Apply(spec);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  const std::string now = ReadText(conf);
  EXPECT_NE(now.find("token: 1200"), std::string::npos) << now;
  EXPECT_EQ(now.back(), '\n') << now;
  EXPECT_EQ(Leftovers("pve-01", "/etc/pve", "corosync.conf."), "");
  ExpectPlanEmpty(spec);
}

TEST_F(LabSshCut, NetworkCutWhileTheRollbackIsDisarmedNeverLetsItUndoTheCommittedChange) {
  const std::string node = "pve-03";
  const Spec spec = LoadSpec(SpecText({{node, ", network: [ { iface: vmbr9, type: bridge, comment: cut } ]"}}));
  // The command that disarms the dead-man switch after the node answered dies with the session.
  std::string cut_node;
  const CommandRun cut = ApplyWithCut(spec, "hainfra-network-armed", AfterCut::kDie, cut_node);
  ASSERT_EQ(cut_node, node) << cut.out << cut.err;
  // Ridden out in the same run (a fresh session disarms it), and the switch must not stay armed: it would
  // restore the previous file a few seconds later.
  EXPECT_EQ(cut.exit_code, 0) << cut.out << cut.err;
  EXPECT_NE(lab_->Exec(node, "test -e /run/hainfra-network-armed").exit_code, 0)
      << "the rollback is still armed after the run: " << cut.out << cut.err;
  EXPECT_EQ(Leftovers(node, "/etc/network", "hainfra-tmp"), "");

  const CommandRun again = Apply(spec);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectPlanEmpty(spec);
}

}  // namespace
}  // namespace hainfra::testing
