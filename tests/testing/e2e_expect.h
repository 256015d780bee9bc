// GoogleTest checks of the end-to-end test bed: loading a spec or failing the test, applying and checking that
// the next plan is empty. Apart from e2e_cluster.h, which the benchmarks use without GoogleTest.
#pragma once

#include <string>

#include "hainfra/plan.h"
#include "hainfra/spec.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {

// The head of the VM tests' specs: pvesim's three nodes and its local-lvm storage; the guests follow.
inline constexpr const char* kVmSpecHeader = R"(
cluster:
  name: pvesim
  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, secret: "${env:HAINFRA_TEST_SECRET_NEVER_SET}" }
nodes:
  - { name: pve-01, address: 10.10.0.11 }
  - { name: pve-02, address: 10.10.0.12 }
  - { name: pve-03, address: 10.10.0.13 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
)";

// Loads a spec from YAML text; one that does not load fails the test and is answered empty.
Spec LoadOrFail(const E2eCluster& cluster, const std::string& yaml);

// LoadOrFail of kVmSpecHeader followed by `vms`.
Spec LoadVmsOrFail(const E2eCluster& cluster, const std::string& vms);

// Each step as "address action: field paths", then the plan's diagnostics, one per line.
std::string StepsOf(const Plan& plan);

// Applies `spec` and checks that a new plan is empty (no phantom differences).
void ApplyConverges(const E2eCluster& cluster, const Spec& spec);

// Checks that a new plan of `spec` is empty, listing each step's address and reason when it is not.
void ExpectEmptyPlan(const E2eCluster& cluster, const Spec& spec);

}  // namespace hainfra::testing
