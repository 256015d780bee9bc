// What the lab tests of node-level kinds share: the real `apply` (with its cluster lock and gates), `drift` and
// `plan` through a fresh ClusterSession on a lab's settings, and a watch over every node's quorum.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hainfra/plan.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "providers/transport/api_client.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {

// `hainfra apply --auto-approve` as the CLI runs it (RunSafeApply: lock, quorum and health gates).
CommandRun LabApply(const PvelabFixture& lab, const Spec& spec);
// `hainfra drift`.
CommandRun LabDrift(const PvelabFixture& lab, const Spec& spec);
// What `hainfra plan` computes.
Result<Plan> LabPlan(const PvelabFixture& lab, const Spec& spec);

// A pvesim API client from the lab's settings (token auth, no retries); ENDPOINT overrides the endpoint.
Result<std::unique_ptr<transport::ApiClient>> LabApiClient(const PvelabFixture& lab, const std::string& endpoint = "");

// Records every moment one of NODES' real corosync reported no quorum (pvelab-cfsd's view, every 100 ms),
// from construction to Stop().
class QuorumWatch {
 public:
  QuorumWatch(const PvelabFixture& lab, std::vector<std::string> nodes);
  explicit QuorumWatch(const PvelabFixture& lab) : QuorumWatch(lab, lab.Nodes()) {}
  ~QuorumWatch() { Stop(); }
  QuorumWatch(const QuorumWatch&) = delete;
  QuorumWatch& operator=(const QuorumWatch&) = delete;

  void Stop();
  // The nodes seen without quorum, one name per sample ("" when quorum held throughout).
  std::string Lost() const { return lost_; }
  int Samples() const { return samples_; }

 private:
  void Run();
  const PvelabFixture& lab_;
  std::vector<std::string> nodes_;
  std::atomic<bool> stop_{false};
  std::string lost_;
  std::atomic<int> samples_{0};
  std::thread thread_;
};

}  // namespace hainfra::testing
