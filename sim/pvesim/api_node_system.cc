// A node's System panel as pve-manager's API2::Nodes serves it: /nodes/{node}/dns (resolv.conf: search and
// up to three name servers), /nodes/{node}/time (the time zone), /nodes/{node}/hosts (/etc/hosts whole,
// written with its digest). The files are the node's own (NodeFacts), so pvelab's nodes see the same.
#include <ctime>
#include <filesystem>
#include <sstream>
#include <string>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/router.h"
#include "sim/pvesim/section_config.h"

namespace pvesim {

namespace {

std::string NodeFileOr(Call& c, const std::string& path, const std::string& fallback) {
  return c.sim.facts().ReadNodeFile(c.node, path).value_or(fallback);
}

// The hosts file the installer writes: localhost, the node's own name, the IPv6 block.
std::string InstallerHosts(Call& c) {
  return "127.0.0.1 localhost.localdomain localhost\n" + c.sim.facts().Address(c.node) + " " + c.node +
         ".localdomain " + c.node + "\n\n# The following lines are desirable for IPv6 capable hosts\n"
         "::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\n"
         "ff02::1 ip6-allnodes\nff02::2 ip6-allrouters\nff02::3 ip6-allhosts\n";
}

}  // namespace

void AddNodeSystemRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/dns", kProxyNode, [](Call& c) -> Result<Reply> {
    std::istringstream in(NodeFileOr(c, "/etc/resolv.conf", ""));
    json out = json::object();
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      std::istringstream words(line);
      std::string key, value;
      words >> key >> value;
      if ((key == "search" || key == "domain") && !out.contains("search")) out["search"] = value;
      if (key == "nameserver" && n < 3) out["dns" + std::to_string(++n)] = value;
    }
    return Reply(out);
  });
  t.Add("PUT", "/nodes/{node}/dns", kProxyNode, [](Call& c) -> Result<Reply> {
    // update_dns: resolv.conf rewritten with the search domain and the servers given (the others dropped).
    std::string text = "search " + c.params.StrOr("search", "") + "\n";
    for (const char* key : {"dns1", "dns2", "dns3"})
      if (auto v = c.params.Str(key)) text += "nameserver " + *v + "\n";
    if (auto st = c.sim.facts().WriteNodeFile(c.node, "/etc/resolv.conf", text); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/nodes/{node}/time", kProxyNode, [](Call& c) -> Result<Reply> {
    std::string tz = NodeFileOr(c, "/etc/timezone", "UTC\n");
    while (!tz.empty() && (tz.back() == '\n' || tz.back() == ' ')) tz.pop_back();
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    return Reply(json{{"timezone", tz}, {"time", now}, {"localtime", now}});
  });
  t.Add("PUT", "/nodes/{node}/time", kProxyNode, [](Call& c) -> Result<Reply> {
    const std::string tz = c.params.StrOr("timezone", "");
    std::error_code ec;
    if (tz.find("..") != std::string::npos || !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + tz, ec))
      return ParamError("timezone", "Invalid time zone '" + tz + "'");
    if (auto st = c.sim.facts().WriteNodeFile(c.node, "/etc/timezone", tz + "\n"); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/nodes/{node}/hosts", kProxyNode, [](Call& c) -> Result<Reply> {
    const std::string data = NodeFileOr(c, "/etc/hosts", InstallerHosts(c));
    return Reply(json{{"data", data}, {"digest", Sha1Hex(data)}});
  });
  t.Add("POST", "/nodes/{node}/hosts", kProxyNode, [](Call& c) -> Result<Reply> {
    const std::string current = NodeFileOr(c, "/etc/hosts", InstallerHosts(c));
    if (auto st = AssertDigest(c.params.Str("digest"), Sha1Hex(current)); !st) return Fail(st.error());
    if (auto st = c.sim.facts().WriteNodeFile(c.node, "/etc/hosts", c.params.StrOr("data", "")); !st)
      return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace pvesim
