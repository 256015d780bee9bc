#include "sim/pvesim/runtime_state.h"

namespace pvesim {

using json = nlohmann::json;

json RuntimeState::ToJson() const {
  json vm_json = json::object();
  for (const auto& [vmid, vm] : vms) {
    vm_json[std::to_string(vmid)] = {{"running", vm.running}, {"started", vm.started}, {"pid", vm.pid},
                                     {"qmpstatus", vm.qmpstatus}};
  }
  json services = json::object();
  for (const auto& [sid, s] : ha.services) services[sid] = {{"node", s.node}, {"state", s.state}, {"maintenance_node", s.maintenance_node}};
  return {
      {"vms", vm_json},
      {"ceph",
       {{"initialized", ceph.initialized}, {"fsid", ceph.fsid}, {"mons", ceph.mons},
        {"osds_per_node", ceph.osds_per_node}, {"pools", ceph.pools}, {"next_pool_id", ceph.next_pool_id},
        {"flags", ceph.flags}, {"out_osds", ceph.out_osds}}},
      {"sdn_lock_token", sdn_lock_token},
      {"rebooting", rebooting},
      {"running_kernel", running_kernel},
      {"files", files},
      {"ha",
       {{"groups_migrated", ha.groups_migrated}, {"services", services}, {"lrm_mode", ha.lrm_mode}, {"migrate_targets", ha.migrate_targets},
        {"master_since", ha.master_since}, {"disarm_mode", ha.disarm_mode}, {"disarm_state", ha.disarm_state}}},
  };
}

RuntimeState RuntimeState::FromJson(const json& j) {
  RuntimeState s;
  if (!j.is_object()) return s;
  const json vms_json = j.value("vms", json::object());
  for (const auto& [key, v] : vms_json.items()) {
    VmRuntime vm;
    vm.running = v.value("running", false);
    vm.started = v.value("started", int64_t{0});
    vm.pid = v.value("pid", uint32_t{0});
    vm.qmpstatus = v.value("qmpstatus", vm.running ? "running" : "stopped");
    s.vms[std::stoi(key)] = vm;
  }
  const json ceph = j.value("ceph", json::object());
  s.ceph.initialized = ceph.value("initialized", false);
  s.ceph.fsid = ceph.value("fsid", "");
  s.ceph.mons = ceph.value("mons", std::vector<std::string>{});
  s.ceph.osds_per_node = ceph.value("osds_per_node", 0);
  s.ceph.pools = ceph.value("pools", json::object());
  s.ceph.next_pool_id = ceph.value("next_pool_id", 1);
  s.ceph.flags = ceph.value("flags", json::object());
  s.ceph.out_osds = ceph.value("out_osds", std::set<int>{});
  s.sdn_lock_token = j.value("sdn_lock_token", "");
  s.rebooting = j.value("rebooting", std::map<std::string, int64_t>{});
  s.running_kernel = j.value("running_kernel", std::map<std::string, std::string>{});
  s.files = j.value("files", json::object());
  const json ha = j.value("ha", json::object());
  s.ha.groups_migrated = ha.value("groups_migrated", false);
  const json services = ha.value("services", json::object());
  for (const auto& [sid, v] : services.items())
    s.ha.services[sid] = {v.value("node", ""), v.value("state", ""), v.value("maintenance_node", "")};
  s.ha.lrm_mode = ha.value("lrm_mode", std::map<std::string, std::string>{});
  s.ha.migrate_targets = ha.value("migrate_targets", std::map<std::string, std::string>{});
  s.ha.master_since = ha.value("master_since", int64_t{0});
  s.ha.disarm_mode = ha.value("disarm_mode", "");
  s.ha.disarm_state = ha.value("disarm_state", "");
  return s;
}

}  // namespace pvesim
