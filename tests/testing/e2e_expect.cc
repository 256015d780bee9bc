#include "tests/testing/e2e_expect.h"

#include <gtest/gtest.h>

namespace hainfra::testing {

Spec LoadOrFail(const E2eCluster& cluster, const std::string& yaml) {
  auto spec = cluster.Load(yaml);
  EXPECT_TRUE(spec) << (spec ? "" : spec.error().message);
  return spec ? *spec : Spec{};
}

Spec LoadVmsOrFail(const E2eCluster& cluster, const std::string& vms) {
  return LoadOrFail(cluster, std::string(kVmSpecHeader) + vms);
}

std::string StepsOf(const Plan& plan) {
  std::string out;
  for (const Step& s : plan.steps) {
    out += s.change.address.ToString() + " " + std::string(ActionName(s.change.action)) + ":";
    for (const FieldChange& f : s.change.fields) out += " " + f.path;
    out += "\n";
  }
  for (const Diagnostic& d : plan.diagnostics) out += d.ToString() + "\n";
  return out;
}

void ApplyConverges(const E2eCluster& cluster, const Spec& spec) {
  CommandRun run = cluster.RunApply(spec);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto again = cluster.MakePlan(spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << StepsOf(*again);
}

void ExpectEmptyPlan(const E2eCluster& cluster, const Spec& spec) {
  auto plan = cluster.MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string steps;
  for (const auto& s : plan->steps) steps += s.change.address.ToString() + " " + s.change.reason + "\n";
  EXPECT_TRUE(plan->empty()) << steps;
}

}  // namespace hainfra::testing
