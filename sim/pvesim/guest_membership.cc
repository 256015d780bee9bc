#include "sim/pvesim/guest_membership.h"

#include <sstream>

#include "sim/pvesim/backup_jobs.h"
#include "sim/pvesim/formats.h"

namespace pvesim {

namespace {

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  std::string cur;
  for (char c : line) {
    if (c == ':') { f.push_back(cur); cur.clear(); } else cur += c;
  }
  f.push_back(cur);
  return f;
}

// Rewrites the pool lines of user.cfg through `edit(pool, vmids)`.
template <typename Edit>
Status EditPools(Simulator& sim, Edit edit) {
  std::lock_guard<std::mutex> lock(sim.mu());
  std::istringstream in(sim.fs().Read("user.cfg").value_or(""));
  std::string out;
  bool changed = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("pool:", 0) == 0) {
      auto f = Fields(line);
      f.resize(std::max<size_t>(f.size(), 5));
      std::vector<std::string> vms = SplitList(f[3]);
      if (edit(f[1], vms)) {
        changed = true;
        std::string list;
        for (const auto& v : vms) list += (list.empty() ? "" : ",") + v;
        line = "pool:" + f[1] + ":" + f[2] + ":" + list + ":" + f[4] + ":";
      }
    }
    out += line + "\n";
  }
  if (!changed) return Ok();
  return sim.fs().Write("user.cfg", out);
}

}  // namespace

Status AddToPool(Simulator& sim, const std::string& pool, int vmid) {
  std::string id = std::to_string(vmid);
  return EditPools(sim, [&](const std::string& name, std::vector<std::string>& vms) {
    bool had = std::erase(vms, id) > 0;
    if (name == pool) {
      vms.push_back(id);
      return true;
    }
    return had;
  });
}

Status RemoveFromPools(Simulator& sim, int vmid) {
  std::string id = std::to_string(vmid);
  return EditPools(sim, [&](const std::string&, std::vector<std::string>& vms) { return std::erase(vms, id) > 0; });
}

Status RemoveFromBackupJobs(Simulator& sim, int vmid) {
  std::lock_guard<std::mutex> lock(sim.mu());
  SectionFile jobs = ReadBackupJobs(sim);
  bool changed = false;
  for (auto& job : jobs.sections) {
    if (!job.values.contains("vmid")) continue;
    std::string kept;
    bool removed = false;
    for (const auto& v : SplitList(job.values["vmid"].get<std::string>())) {
      if (v == std::to_string(vmid)) { removed = true; continue; }
      kept += (kept.empty() ? "" : ",") + v;
    }
    if (!removed) continue;
    changed = true;
    if (kept.empty()) job.values.erase("vmid"); else job.values["vmid"] = kept;
  }
  if (!changed) return Ok();
  return WriteBackupJobs(sim, jobs);
}

}  // namespace pvesim
