// Benchmark: observe, diff and plan 10,000 resources of fake kinds (target: under 1 s, release build).
// Prints the figures; it is not a test and asserts nothing about time.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/plan/observe.h"
#include "engine/plan/planner.h"
#include "engine/render/plan_text.h"
#include "engine/planfile/plan_json.h"
#include "tests/testing/fake_kind.h"

using namespace hainfra;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// 100 storages, 9,000 VMs (each on one of 16 nodes, using a storage), 900 HA rules (each on 10 VMs).
// Two thirds exist in the cluster; of those, every fourth one differs in a field.
Spec MakeSpec(testing::FakeCluster& cluster) {
  Spec spec;
  auto add = [&](Resource r, int i) {
    if (i % 3 != 0) {
      Value seen = r.body;
      if (i % 4 == 0) seen["cores"] = 1;
      seen["digest"] = "d" + std::to_string(i);  // undeclared: never compared
      cluster.Put(r.address, std::move(seen), true);
    }
    spec.objects.push_back(std::move(r));
  };
  for (int i = 0; i < 100; ++i) {
    add(testing::FakeResource("storage", "s" + std::to_string(i), {{"cores", 2}, {"tags", {"images", "rootdir"}}}), i);
  }
  for (int i = 0; i < 9000; ++i) {
    Value body = {{"node", "pve-" + std::to_string(i % 16)},
                  {"guest", std::to_string(1000 + i)},
                  {"cores", 4},
                  {"memory", "8G"},
                  {"refs", {"storage/s" + std::to_string(i % 100)}},
                  {"disks", {{{"slot", "scsi0"}, {"size", "32G"}}, {{"slot", "scsi1"}, {"size", "100G"}}}},
                  {"options", {{"agent", "1"}, {"ostype", "l26"}}}};
    add(testing::FakeResource("vm", std::to_string(1000 + i), std::move(body)), i);
  }
  for (int i = 0; i < 900; ++i) {
    Value refs = Value::array();
    for (int k = 0; k < 10; ++k) refs.push_back("vm/" + std::to_string(1000 + i * 10 + k));
    add(testing::FakeResource("ha_rule", "r" + std::to_string(i), {{"cores", 2}, {"refs", refs}}), i);
  }
  spec.hash = "bench";
  spec.Reindex();
  return spec;
}

}  // namespace

int main() {
  testing::FakeCluster cluster;
  testing::FakeKind storage(cluster, testing::FakeTraits("storage", 5));
  testing::FakeKind vm(cluster, testing::FakeTraits("vm", 7));
  testing::FakeKind ha_rule(cluster, testing::FakeTraits("ha_rule", 8));
  const Spec spec = MakeSpec(cluster);
  const std::vector<ResourceKind*> kinds = {&storage, &vm, &ha_rule};

  const auto t0 = Clock::now();
  auto states = plan::ObserveKinds(kinds, spec, 8);
  const auto t1 = Clock::now();
  if (!states) {
    std::fprintf(stderr, "observe failed: %s\n", states.error().ToString().c_str());
    return 1;
  }
  plan::PlanRequest request;
  request.spec_hash = spec.hash;
  auto plan = plan::BuildPlan(*states, request);
  const auto t2 = Clock::now();
  if (!plan) {
    std::fprintf(stderr, "plan failed: %s\n", plan.error().ToString().c_str());
    return 1;
  }
  const std::string json = planfile::PlanToJson(*plan).dump();
  const auto t3 = Clock::now();

  std::printf("resources: %zu (storage 100, vm 9000, ha_rule 900)\n", spec.objects.size());
  std::printf("plan: %zu steps, %zu unchanged, %s\n", plan->steps.size(), plan->unchanged.size(),
              render::SummaryLine(*plan).c_str());
  std::printf("observe (fake kinds, copies):  %8.1f ms\n", Ms(t1 - t0));
  std::printf("diff + DAG (BuildPlan):        %8.1f ms\n", Ms(t2 - t1));
  std::printf("observe + plan total:          %8.1f ms   (target < 1000 ms)\n", Ms(t2 - t0));
  std::printf("plan JSON (%zu bytes):      %8.1f ms\n", json.size(), Ms(t3 - t2));
  return 0;
}
