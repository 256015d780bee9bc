// An end-to-end test bed: a running pvesim (schema validation on) and the real product on top of it — the
// spec loader, a ClusterSession over the real transports (configured only from pvesim's HAINFRA_* lines),
// and the plan/apply/drift commands — so a kind's test reads: load spec, apply, plan again, change out of
// band, drift.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/plan.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "providers/transport/environment.h"
#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {

// What one command printed, and its exit code.
struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string log;  // the transports' warnings and notes (what the CLI prints to stderr besides `err`), one a line
};

// A command run against a session's kinds, writing to the console it is given (plan, apply, drift, ...).
using SessionCommand = std::function<int(const std::vector<ResourceKind*>& kinds, cli::Console& console)>;

// Opens a fresh ClusterSession from `env` and runs `command` with a captured console; a session that
// cannot open is exit code 1 with its error.
CommandRun RunWithSession(const Spec& spec, const transport::EnvLookup& env, const SessionCommand& command);

// Loads a spec text; the error lists every diagnostic, one per line.
Result<Spec> LoadSpecForTest(std::string_view yaml, const std::string& file_name);

class E2eCluster {
 public:
  // Starts pvesim with `options`. Check sim().ok() / sim().skipped() (or use E2E_START_OR_SKIP).
  static std::unique_ptr<E2eCluster> Start(const PvesimOptions& options = {});

  PvesimProcess& sim() { return *sim_; }
  // A plain API client for out-of-band changes and checks (token auth).
  PvesimClient Client() const { return PvesimClient(*sim_); }
  // pvesim's HAINFRA_* lines as the environment the transports read (plus `extra` overrides).
  transport::EnvLookup Env() const;
  void SetEnv(const std::string& name, const std::string& value) { extra_env_[name] = value; }

  // Loads a spec from YAML text; errors carry every diagnostic.
  Result<Spec> Load(std::string_view yaml, const std::string& file_name = "spec.yaml") const;

  // Observes and builds the plan through a fresh session (what `hainfra plan` computes).
  Result<hainfra::Plan> MakePlan(const Spec& spec, const cli::PlanningOptions& options = {}) const;

  // The commands, each through a fresh session as a separate CLI run would do.
  CommandRun RunPlan(const Spec& spec, cli::PlanCommandOptions options = {}) const;
  CommandRun RunApply(const Spec& spec, cli::ApplyCommandOptions options = DefaultApply()) const;
  CommandRun RunDrift(const Spec& spec, cli::DriftCommandOptions options = {}) const;

  // --auto-approve, fast retries.
  static cli::ApplyCommandOptions DefaultApply();

 private:
  std::unique_ptr<PvesimProcess> sim_;
  std::map<std::string, std::string> extra_env_;
};

}  // namespace hainfra::testing

// Starts an E2eCluster into `var`, skipping the test without the shared data, failing it when pvesim does
// not come up.
#define E2E_START_OR_SKIP(var, ...)                                        \
  auto var = ::hainfra::testing::E2eCluster::Start(__VA_ARGS__);           \
  if (var->sim().skipped()) GTEST_SKIP() << var->sim().error();             \
  ASSERT_TRUE(var->sim().ok()) << var->sim().error()
