// pvelab-cfsd: the lab description `pvelab up` writes (lab.json) — nodes, their init PIDs, the shared
// /etc/pve folder, the lock timeout and the owner process — read once at start.
#pragma once

#include <string>
#include <vector>

#include "hainfra/result.h"

namespace pvelab {

struct LabNode {
  std::string name;
  int nodeid = 0;
  int init_pid = 0;  // PID 1 of the node's namespaces, as seen from the root namespace
};

struct LabConfig {
  std::string id;
  std::string dir;  // the lab's folder (status/ is written below it)
  std::string cfs;  // the shared /etc/pve folder
  std::string pvelab;  // the pvelab script, run for `down` when the owner dies
  int lock_timeout_s = 120;
  int owner_pid = 0;  // 0: no owner; otherwise the lab ends when this process ends
  long long owner_start = 0;
  std::vector<LabNode> nodes;
};

// Parses lab.json text; errors name the file and the field.
hainfra::Result<LabConfig> ParseLabConfig(const std::string& text, const std::string& path);

// Reads and parses the file at PATH.
hainfra::Result<LabConfig> LoadLabConfig(const std::string& path);

}  // namespace pvelab
