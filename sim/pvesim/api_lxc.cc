// /nodes/{node}/lxc as far as pvesim models containers: not yet — a pvesim world holds VMs only. So every
// node answers as a Proxmox node without containers does: an empty list, and for any vmid the error
// pve-container dies with when the container's config file is missing (a VM's vmid included). Clients that
// list a cluster (inventory plugins, dashboards, proxmoxer scripts) walk /nodes/{node}/lxc beside /qemu.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"

namespace pvesim {

namespace {

Result<Reply> NoSuchContainer(Call& c) {
  const int64_t vmid = c.params.Int("vmid").value_or(0);
  return Die("Configuration file 'nodes/" + c.node + "/lxc/" + std::to_string(vmid) + ".conf' does not exist");
}

}  // namespace

void AddLxcRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/lxc", kProxyNode, [](Call&) -> Result<Reply> { return Reply(json::array()); });
  for (const char* path : {"/nodes/{node}/lxc/{vmid}", "/nodes/{node}/lxc/{vmid}/config",
                           "/nodes/{node}/lxc/{vmid}/pending", "/nodes/{node}/lxc/{vmid}/status/current"}) {
    t.Add("GET", path, kProxyNode, NoSuchContainer);
  }
}

}  // namespace pvesim
