// The product's plan/apply/drift commands run against a pvelab lab: each command opens a fresh ClusterSession
// from the lab's HAINFRA_SSH_* lines (SSH to the lab's real nodes) and a pvesim's HAINFRA_API_* lines (the
// API, same node names), as a separate CLI run would. Until pvesim can join the lab (`pvelab up --sim`),
// the pvesim runs beside it.
#pragma once

#include <string_view>

#include "cli/command_options.h"
#include "hainfra/plan.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "providers/transport/environment.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/pvelab_fixture.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {

class LabSession {
 public:
  LabSession(const PvelabFixture& lab, const PvesimProcess& sim) : lab_(lab), sim_(sim) {}

  // The lab's KEY=value lines as the environment the transports read.
  transport::EnvLookup Env() const;
  // A spec from YAML text; errors carry every diagnostic.
  static Result<Spec> Load(std::string_view yaml);

  Result<hainfra::Plan> MakePlan(const Spec& spec) const;
  CommandRun RunApply(const Spec& spec, cli::ApplyCommandOptions options = E2eCluster::DefaultApply()) const;
  CommandRun RunDrift(const Spec& spec) const;
  // `hainfra report packages [--json]`.
  CommandRun RunReportPackages(const Spec& spec, bool json) const;

 private:
  const PvelabFixture& lab_;
  const PvesimProcess& sim_;
};

}  // namespace hainfra::testing
