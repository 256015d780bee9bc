// A pvelab lab for one test: brought up in the constructor-like Up(), always taken down (destructor, and
// by the lab itself if the test process dies: it is the lab's owner). Exposes the nodes, their addresses,
// the SSH identity and known_hosts, commands inside a node or over real ssh, and the faults.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hainfra/result.h"
#include "providers/transport/environment.h"

namespace hainfra::testing {

struct LabOptions {
  int nodes = 3;
  int lock_timeout_s = 120;  // pmxcfs's 120 s; tests of expiry use a few seconds
  // Joined to pvesim (`up --sim`): the build's pvesim with the PVE API schema (validation on), fast tasks;
  // the lab then also prints pvesim's HAINFRA_API_* lines. Needs the shared data (else the test skips).
  bool sim = false;
  int pve = 9;                          // with `sim`: 8 or 9
  std::vector<std::string> sim_args;    // more `pvesim serve` flags (after the fixture's own)
  std::vector<std::string> extra_args;  // more `pvelab up` arguments
};

struct LabCommand {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

class PvelabFixture {
 public:
  // The build tree's pvelab (HAINFRA_BINARY_DIR/sim/pvelab/pvelab).
  static std::string PvelabPath();
  // Empty when labs can run here (root, the programs they need; with `sim` also pvesim and the API
  // schema); otherwise why not — tests skip with it.
  static std::string WhyUnavailable(const LabOptions& options = {});

  // Starts a lab; the error carries pvelab's own message.
  static Result<std::unique_ptr<PvelabFixture>> Up(const LabOptions& options = {});
  ~PvelabFixture();
  PvelabFixture(const PvelabFixture&) = delete;
  PvelabFixture& operator=(const PvelabFixture&) = delete;

  const std::string& Id() const { return id_; }
  const std::string& Dir() const { return dir_; }
  // The shared /etc/pve folder as the host sees it.
  std::string Cfs() const { return dir_ + "/pve"; }
  const std::vector<std::string>& Nodes() const { return nodes_; }
  // Every KEY=value line `pvelab up` printed (PVELAB_*, HAINFRA_SSH_*, and pvesim's when joined).
  const std::map<std::string, std::string>& Env() const { return env_; }
  // Those lines as the environment hainfra's transports read (HAINFRA_API_* of the joined pvesim and
  // HAINFRA_SSH_* of the lab), plus `extra` (which wins; an empty value unsets a name).
  transport::EnvLookup EnvLookup(const std::map<std::string, std::string>& extra = {}) const;
  // Management (SSH) address of NODE, and its corosync link addresses.
  std::string Address(const std::string& node) const;
  std::string Link0(const std::string& node) const;
  std::string Link1(const std::string& node) const;
  std::string SshUser() const { return "root"; }
  std::string SshIdentity() const;
  std::string SshKnownHosts() const;

  // Runs a shell command line inside NODE (all its namespaces, no network involved).
  LabCommand Exec(const std::string& node, const std::string& command) const;
  // Runs a shell command line on NODE over real OpenSSH with strict host key checking.
  LabCommand Ssh(const std::string& node, const std::string& command) const;
  // `pvelab fault ID ARGS...`, e.g. {"link-down", "pve-01", "link0"}; see `pvelab fault`.
  Status Fault(const std::vector<std::string>& args) const;
  // Holds /etc/pve/priv/lock/NAME from a process in NODE (refreshing every REFRESH_S); returns its PID.
  Result<int> HoldLock(const std::string& node, const std::string& name, int refresh_s = 1) const;
  Status KillLockHolder(const std::string& name) const;
  // pvelab-cfsd's view of NODE (status/<node>.json): quorate, members, cfs_writable, ...
  nlohmann::json NodeStatus(const std::string& node) const;
  // Ends the lab now (the destructor then does nothing); the error says what was left behind.
  Status Down();

  // Polls PREDICATE every 50 ms until it holds or TIMEOUT passes; returns whether it held.
  static bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout);

 private:
  PvelabFixture() = default;
  std::string NodeField(const std::string& key, const std::string& node) const;

  std::string id_;
  std::string dir_;
  std::vector<std::string> nodes_;
  std::map<std::string, std::string> env_;
  bool down_ = false;
};

// Base of the `Lab…` test suites: a fresh lab per test (skipped with the reason when labs cannot run
// here), taken down after the test whatever happened. Override Options() for another lab shape.
class LabTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  static void TearDownTestSuite();
  virtual LabOptions Options() const { return {}; }
  // True for a suite whose tests only read the lab or put back what they change, in their declared order:
  // its tests share one lab (a lab's start and stop cost seconds each), brought down after the last one.
  virtual bool OneLabForTheSuite() const { return false; }

  std::shared_ptr<PvelabFixture> lab_;

 private:
  static std::shared_ptr<PvelabFixture>& SuiteLab();
};

}  // namespace hainfra::testing
