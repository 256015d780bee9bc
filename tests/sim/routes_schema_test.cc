// Every simulated endpoint exists in the real PVE API schema, with the same root@pam-only, API-token and
// proxy-to-node facts the schema records.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/pvesim/api_schema.h"
#include "sim/pvesim/router.h"

namespace pvesim {
namespace {

void CheckRoutesAgainst(int pve) {
  std::string file = std::string(HAINFRA_SHARED_DIR) + "/pve-api/pve" + std::to_string(pve) + "-api-schema.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "PVE API schema not available at " << file;
  auto schema = ApiSchema::Load(file);
  ASSERT_TRUE(schema.has_value()) << schema.error().message;
  RouteTable routes;
  RegisterAllRoutes(routes);
  size_t checked = 0;
  for (const auto& r : routes.routes()) {
    if ((r->flags & kPve8Only) && pve != 8) continue;
    if ((r->flags & kPve9Only) && pve != 9) continue;
    const nlohmann::json* info = (*schema)->Info(r->method, r->path);
    ASSERT_NE(info, nullptr) << r->method << " " << r->path << " is not in the PVE " << pve << " schema";
    bool root_only = !info->contains("permissions");
    EXPECT_EQ(root_only, (r->flags & kRootOnly) != 0) << r->method << " " << r->path << " root@pam-only flag";
    bool no_token = info->value("allowtoken", 1) == 0;
    EXPECT_EQ(no_token, (r->flags & kNoToken) != 0) << r->method << " " << r->path << " allowtoken flag";
    const auto proxyto = info->find("proxyto");  // absent, null (some firewall endpoints) or a parameter name
    bool proxy = proxyto != info->end() && proxyto->is_string() && *proxyto == "node";
    EXPECT_EQ(proxy, (r->flags & kProxyNode) != 0) << r->method << " " << r->path << " proxyto flag";
    ++checked;
  }
  EXPECT_GT(checked, 120u);
}

TEST(PvesimRoutes, MatchThePve9Schema) { CheckRoutesAgainst(9); }
TEST(PvesimRoutes, MatchThePve8Schema) { CheckRoutesAgainst(8); }

}  // namespace
}  // namespace pvesim
