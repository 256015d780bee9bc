// /access: tickets (login and renewal) and the realm list, the calls open without authentication.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"

namespace pvesim {

void AddAccessRoutes(RouteTable& t) {
  t.Add("GET", "/access", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"users", "groups", "roles", "acl", "domains", "ticket", "password", "tfa", "openid",
                        "permissions"}, "subdir"));
  });
  // A dummy so that clients can probe (returns null).
  t.Add("GET", "/access/ticket", kOpen, [](Call&) -> Result<Reply> { return Reply(nullptr); });
  t.Add("POST", "/access/ticket", kOpen | kNoToken, [](Call& c) -> Result<Reply> {
    std::string cluster = ClusterViewFor(c.sim, c.local).name;
    auto res = c.sim.auth().CreateTicket(c.params.StrOr("username", ""), c.params.StrOr("password", ""),
                                         c.params.StrOr("realm", ""), cluster);
    if (!res) return Fail(res.error());
    return Reply(*res);
  });
  t.Add("GET", "/access/domains", kOpen, [](Call&) -> Result<Reply> {
    return Reply(json::array({{{"realm", "pam"}, {"type", "pam"}, {"comment", "Linux PAM standard authentication"}},
                              {{"realm", "pve"}, {"type", "pve"}, {"comment", "Proxmox VE authentication server"}}}));
  });
}

}  // namespace pvesim
