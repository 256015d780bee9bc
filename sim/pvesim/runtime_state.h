// What the simulator keeps besides config files and node facts: guest power state, the Ceph cluster,
// the PVE 9 SDN lock, the HA manager's state and the files on storages (ISOs, templates, import images).
// Guarded by Simulator::mu(); persisted in state.json.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

struct VmRuntime {
  bool running = false;
  int64_t started = 0;  // epoch seconds of the last start
  uint32_t pid = 0;
  std::string qmpstatus = "stopped";  // running, paused, stopped
};

struct CephState {
  bool initialized = false;
  std::string fsid;
  std::vector<std::string> mons;  // node names
  int osds_per_node = 0;
  nlohmann::json pools = nlohmann::json::object();  // name -> settings (size, min_size, pg_num, ...)
  int next_pool_id = 1;
  nlohmann::json flags = nlohmann::json::object();   // noout, ... -> bool
  std::set<int> out_osds;  // OSD ids marked out (ceph osd out); the rest are in
};

struct HaServiceRuntime {
  std::string node;
  std::string state;  // CRM service state: started, stopped, request_stop, migrate, relocate, freeze, error...
  std::string maintenance_node;  // the node it left for that node's maintenance: it returns there afterwards
};

struct HaRuntime {
  bool groups_migrated = false;  // PVE 9: groups were turned into node-affinity rules
  std::map<std::string, HaServiceRuntime> services;  // sid -> state
  std::map<std::string, std::string> lrm_mode;       // node -> active | idle | maintenance
  std::map<std::string, std::string> migrate_targets;  // sid -> node an HA migration/relocation goes to
  std::map<std::string, bool> relocate;                // sid -> the request is a relocation (stop, move, start)
  std::set<std::string> busy;                          // sids with an HA task in flight (not persisted)
  int64_t master_since = 0;
  // PVE 9's cluster-wide disarm (`disarm-ha freeze|ignore`): the resource mode and the state (disarming,
  // disarmed); both empty while the HA stack is armed.
  std::string disarm_mode;
  std::string disarm_state;
};

struct RuntimeState {
  std::map<int, VmRuntime> vms;
  CephState ceph;
  std::string sdn_lock_token;  // PVE 9 global SDN lock holder
  HaRuntime ha;
  std::map<std::string, int64_t> rebooting;  // node -> epoch ms when it is back online
  std::map<std::string, std::string> running_kernel;  // node -> kernel release booted (default: the release's)
  // Files on storages (storage_content.h): "<storage>" (shared) or "<storage>@<node>" -> volname -> file.
  nlohmann::json files = nlohmann::json::object();

  nlohmann::json ToJson() const;
  static RuntimeState FromJson(const nlohmann::json& j);
};

}  // namespace pvesim
