#include "tests/testing/pvelab_fixture.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "cfsd/process.h"  // pvelab::Run
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {

namespace {

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// The value for NODE in a "node=value,node=value" list.
std::string Lookup(const std::string& list, const std::string& node) {
  for (const std::string& item : Split(list, ',')) {
    auto eq = item.find('=');
    if (eq != std::string::npos && item.substr(0, eq) == node) return item.substr(eq + 1);
  }
  return "";
}

}  // namespace

std::string PvelabFixture::PvelabPath() { return std::string(HAINFRA_BINARY_DIR) + "/sim/pvelab/pvelab"; }

std::string PvelabFixture::WhyUnavailable(const LabOptions& options) {
  if (geteuid() != 0) return "pvelab needs root (network and mount namespaces)";
  for (const char* program : {"/usr/sbin/sshd", "/usr/sbin/corosync", "/usr/bin/ssh", "/usr/bin/dpkg-deb",
                              "/usr/bin/dpkg-scanpackages", "/usr/bin/nsenter", "/usr/bin/unshare"}) {
    if (access(program, X_OK) != 0) return std::string("pvelab needs ") + program + " (see .ci/install-deps)";
  }
  if (access(PvelabPath().c_str(), X_OK) != 0) return "no " + PvelabPath() + " (build the project first)";
  if (options.sim) {
    if (access(PvesimProcess::BinaryPath().c_str(), X_OK) != 0) return "no " + PvesimProcess::BinaryPath();
    if (access(PvesimProcess::SchemaPath(options.pve).c_str(), R_OK) != 0) {
      return "the PVE API schema is not available at " + PvesimProcess::SchemaPath(options.pve) +
             " (HAINFRA_SHARED_DIR points at ../shared beside the checkout)";
    }
  }
  return "";
}

Result<std::unique_ptr<PvelabFixture>> PvelabFixture::Up(const LabOptions& options) {
  std::vector<std::string> argv{PvelabPath(), "up", "--nodes", std::to_string(options.nodes), "--lock-timeout",
                                std::to_string(options.lock_timeout_s), "--owner-pid", std::to_string(getpid())};
  if (options.sim) {
    std::vector<std::string> sim{"--pve", std::to_string(options.pve), "--api-schema",
                                 PvesimProcess::SchemaPath(options.pve), "--task-duration", "50", "--lock-timeout",
                                 "1000", "--auth-failure-delay", "0", "--ha-tick", "100"};
    sim.insert(sim.end(), options.sim_args.begin(), options.sim_args.end());
    argv.insert(argv.end(), {"--sim", PvesimProcess::BinaryPath()});
    for (const std::string& arg : sim) argv.insert(argv.end(), {"--sim-arg", arg});
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  pvelab::RunResult r = pvelab::Run(argv, 120000);
  if (r.exit_code != 0) return Fail(Code::kUnavailable, "pvelab up failed:\n" + r.output);
  std::unique_ptr<PvelabFixture> lab(new PvelabFixture());
  for (const std::string& line : Split(r.output, '\n')) {
    auto eq = line.find('=');
    if (eq == std::string::npos || line.find(' ') < eq) continue;
    lab->env_[line.substr(0, eq)] = line.substr(eq + 1);
  }
  lab->id_ = lab->env_["PVELAB_ID"];
  lab->dir_ = lab->env_["PVELAB_DIR"];
  lab->nodes_ = Split(lab->env_["PVELAB_NODES"], ',');
  if (lab->id_.empty() || lab->dir_.empty() || lab->nodes_.empty()) {
    lab->down_ = true;
    return Fail(Code::kInternal, "pvelab up printed no PVELAB_ID/PVELAB_DIR/PVELAB_NODES:\n" + r.output);
  }
  return lab;
}

PvelabFixture::~PvelabFixture() {
  if (!down_) (void)Down();
}

Status PvelabFixture::Down() {
  if (down_) return Ok();
  down_ = true;
  pvelab::RunResult r = pvelab::Run({PvelabPath(), "down", id_}, 60000);
  if (r.exit_code != 0) return Fail(Code::kInternal, "pvelab down " + id_ + " failed:\n" + r.output);
  return Ok();
}

std::string PvelabFixture::NodeField(const std::string& key, const std::string& node) const {
  auto it = env_.find(key);
  return it == env_.end() ? "" : Lookup(it->second, node);
}

std::string PvelabFixture::Address(const std::string& node) const {
  std::string addr = NodeField("HAINFRA_SSH_ADDRESSES", node);
  return addr.substr(0, addr.rfind(':'));
}
std::string PvelabFixture::Link0(const std::string& node) const { return NodeField("PVELAB_LINK0", node); }
std::string PvelabFixture::Link1(const std::string& node) const { return NodeField("PVELAB_LINK1", node); }
transport::EnvLookup PvelabFixture::EnvLookup(const std::map<std::string, std::string>& extra) const {
  std::map<std::string, std::string> env = env_;
  for (const auto& [name, value] : extra) env[name] = value;
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

std::string PvelabFixture::SshIdentity() const { return env_.at("HAINFRA_SSH_IDENTITY"); }
std::string PvelabFixture::SshKnownHosts() const { return env_.at("HAINFRA_SSH_KNOWN_HOSTS"); }

LabCommand PvelabFixture::Exec(const std::string& node, const std::string& command) const {
  pvelab::RunResult r = pvelab::Run({PvelabPath(), "exec", id_, node, "sh", "-c", command}, 120000);
  return LabCommand{r.exit_code, r.output};
}

LabCommand PvelabFixture::Ssh(const std::string& node, const std::string& command) const {
  pvelab::RunResult r = pvelab::Run(
      {"ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o",
       "UserKnownHostsFile=" + SshKnownHosts(), "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
       "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "-i", SshIdentity(), SshUser() + "@" + Address(node),
       command},
      60000);
  return LabCommand{r.exit_code, r.output};
}

Status PvelabFixture::Fault(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{PvelabPath(), "fault", id_};
  argv.insert(argv.end(), args.begin(), args.end());
  pvelab::RunResult r = pvelab::Run(argv, 30000);
  if (r.exit_code != 0) return Fail(Code::kInternal, "pvelab fault failed:\n" + r.output);
  return Ok();
}

Result<int> PvelabFixture::HoldLock(const std::string& node, const std::string& name, int refresh_s) const {
  pvelab::RunResult r = pvelab::Run({PvelabPath(), "lock", id_, "hold", node, name, std::to_string(refresh_s)}, 30000);
  if (r.exit_code != 0) return Fail(Code::kFailedPrecondition, r.output);
  return std::atoi(r.output.c_str());
}

Status PvelabFixture::KillLockHolder(const std::string& name) const { return Fault({"kill-lock-holder", name}); }

nlohmann::json PvelabFixture::NodeStatus(const std::string& node) const {
  std::ifstream in(dir_ + "/status/" + node + ".json");
  if (!in) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error&) {
    return nlohmann::json::object();
  }
}

bool PvelabFixture::WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::shared_ptr<PvelabFixture>& LabTest::SuiteLab() {
  static std::shared_ptr<PvelabFixture> lab;
  return lab;
}

void LabTest::SetUp() {
  std::string why = PvelabFixture::WhyUnavailable(Options());
  if (!why.empty()) GTEST_SKIP() << why;
  if (OneLabForTheSuite() && SuiteLab()) {
    lab_ = SuiteLab();
    return;
  }
  auto lab = PvelabFixture::Up(Options());
  ASSERT_TRUE(lab.has_value()) << lab.error().message;
  lab_ = std::move(*lab);
  if (OneLabForTheSuite()) SuiteLab() = lab_;
}

void LabTest::TearDown() {
  if (lab_ && !OneLabForTheSuite()) {
    Status down = lab_->Down();
    EXPECT_TRUE(down.has_value()) << down.error().message;
  }
  lab_.reset();
}

void LabTest::TearDownTestSuite() {
  if (std::shared_ptr<PvelabFixture> lab = std::exchange(SuiteLab(), nullptr)) {
    Status down = lab->Down();
    EXPECT_TRUE(down.has_value()) << down.error().message;
  }
}

}  // namespace hainfra::testing
