// The `apt` baseline kind end to end against pvesim (schema validation on), through the real transports:
// enable and disable standard repositories, a second plan is empty, a repository re-enabled by hand is drift
// and corrected, PVE 8 and 9.
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

std::string AptSpec(const std::string& apt) {
  return R"(
cluster:
  name: lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
baselines:
  - name: standard
    apt: )" + apt + R"(
nodes:
  - { name: pve-01, address: 10.10.0.11, baseline: standard }
  - { name: pve-02, address: 10.10.0.12, baseline: standard }
  - { name: pve-03, address: 10.10.0.13 }
)";
}

// Whether `handle` is reported configured and enabled on `node`.
bool Enabled(PvesimClient& client, const std::string& node, const std::string& handle) {
  ApiResult r = client.Get("/nodes/" + node + "/apt/repositories");
  for (const auto& s : r.data().value("standard-repos", nlohmann::json::array())) {
    if (s.value("handle", "") != handle) continue;
    const auto status = s.find("status");
    return status != s.end() && !status->is_null() && (status->is_boolean() ? status->get<bool>() : status->get<int>() != 0);
  }
  return false;
}

// Re-enables the first repository the handle's URI appears in (an admin editing sources by hand).
void EnableByHand(PvesimClient& client, const std::string& node, const std::string& uri_part) {
  ApiResult r = client.Get("/nodes/" + node + "/apt/repositories");
  const auto data = r.data();
  for (const auto& file : data["files"]) {
    int index = 0;
    for (const auto& repo : file["repositories"]) {
      for (const auto& uri : repo["URIs"]) {
        if (uri.get<std::string>().find(uri_part) == std::string::npos) continue;
        ApiResult post = client.Post("/nodes/" + node + "/apt/repositories",
                                     {{"path", file["path"].get<std::string>()},
                                      {"index", std::to_string(index)},
                                      {"enabled", "1"},
                                      {"digest", data["digest"].get<std::string>()}});
        ASSERT_EQ(post.status, 200) << post.raw;
        return;
      }
      ++index;
    }
  }
  FAIL() << "no repository with " << uri_part << " on " << node;
}

void ConvergesAndStaysConverged(int pve, const std::string& ceph_enterprise) {
  PvesimOptions options;
  options.pve = pve;
  E2E_START_OR_SKIP(cluster, options);
  auto spec =
      cluster->Load(AptSpec("{ repositories: [no-subscription], disable: [enterprise, " + ceph_enterprise + "] }"));
  ASSERT_TRUE(spec) << spec.error().message;
  PvesimClient client = cluster->Client();
  ASSERT_TRUE(Enabled(client, "pve-01", "enterprise"));  // pvesim's default world: the enterprise repositories
  ASSERT_FALSE(Enabled(client, "pve-01", "no-subscription"));

  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  // pve-01, a health gate, pve-02 (rolling); pve-03 names no baseline.
  std::vector<std::string> changes;
  int gates = 0;
  for (const Step& step : plan->steps) {
    if (step.type == StepType::kChange) changes.push_back(step.change.address.ToString());
    gates += step.type == StepType::kGate;
  }
  EXPECT_EQ(changes, (std::vector<std::string>{"apt/pve-01", "apt/pve-02"}));
  EXPECT_EQ(gates, 1);

  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  for (const std::string node : {"pve-01", "pve-02"}) {
    EXPECT_TRUE(Enabled(client, node, "no-subscription")) << node;
    EXPECT_FALSE(Enabled(client, node, "enterprise")) << node;
    EXPECT_FALSE(Enabled(client, node, ceph_enterprise)) << node;
  }
  EXPECT_TRUE(Enabled(client, "pve-03", "enterprise"));  // not declared: left alone

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.front().change.reason;

  // An admin re-enables the enterprise repository on pve-02: drift names it; apply corrects it.
  EnableByHand(client, "pve-02", "enterprise.proxmox.com/debian/pve");
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("apt/pve-02"), std::string::npos) << drift.out;
  EXPECT_EQ(drift.out.find("apt/pve-01"), std::string::npos) << drift.out;
  apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_FALSE(Enabled(client, "pve-02", "enterprise"));
  again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty());
}

TEST(AptRepositoryE2e, Pve9EnablesNoSubscriptionDisablesEnterpriseAndCorrectsDrift) {
  ConvergesAndStaysConverged(9, "ceph-squid-enterprise");
}

TEST(AptRepositoryE2e, Pve8EnablesNoSubscriptionDisablesEnterpriseAndCorrectsDrift) {
  ConvergesAndStaysConverged(8, "ceph-quincy-enterprise");
}

TEST(AptRepositoryE2e, AHandleTheReleaseDoesNotOfferIsRefusedAtPlanTime) {
  PvesimOptions options;
  options.pve = 9;
  E2E_START_OR_SKIP(cluster, options);
  auto spec = cluster->Load(AptSpec("{ repositories: [ceph-quincy-no-subscription] }"));
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun plan = cluster->RunPlan(*spec);
  EXPECT_EQ(plan.exit_code, 1) << plan.out << plan.err;
  EXPECT_NE((plan.out + plan.err).find("not offered"), std::string::npos) << plan.out << plan.err;
}

TEST(AptRepositoryE2e, APlanReadsEachDeclaredNodeOnce) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(AptSpec("{ repositories: [no-subscription] }"));
  ASSERT_TRUE(spec) << spec.error().message;
  PvesimClient client = cluster->Client();
  ASSERT_EQ(client.Control("DELETE", "/requests").status, 200);
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ApiResult log = client.Control("GET", "/requests?limit=1000");
  ASSERT_EQ(log.status, 200) << log.raw;
  const nlohmann::json entries = log.body.is_array() ? log.body : log.data();
  ASSERT_TRUE(entries.is_array()) << log.raw;
  int apt_reads = 0, writes = 0;
  for (const auto& e : entries) {
    const std::string path = e.value("path", "");
    if (path.find("/apt/repositories") != std::string::npos) ++apt_reads;
    if (e.value("method", "") != "GET") ++writes;
  }
  EXPECT_EQ(apt_reads, 2) << log.raw;  // pve-01 and pve-02, one GET each
  EXPECT_EQ(writes, 0) << log.raw;     // planning never writes
}

}  // namespace
}  // namespace hainfra::testing
