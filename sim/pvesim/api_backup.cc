// /cluster/backup: vzdump backup jobs in jobs.cfg, as pve-manager's API2::Backup serves them (create
// with a generated id, read, update with delete, remove; next-run computed for simple daily schedules).
#include <ctime>
#include <set>
#include <vector>
#include <regex>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/auth.h"
#include "sim/pvesim/backup_jobs.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"

namespace pvesim {

namespace {

// The next time a "HH:MM" or "<days> HH:MM" schedule fires (local time); nullopt for other calendar events.
std::optional<int64_t> NextRun(const std::string& schedule) {
  static const std::regex re("^(?:([a-z,.]+)\\s+)?([0-9,]+):([0-9,]+)$");
  std::smatch m;
  if (!std::regex_match(schedule, m, re)) return std::nullopt;
  std::vector<int> hours, minutes;
  for (const auto& h : SplitList(m[2].str())) hours.push_back(std::stoi(h));
  for (const auto& mi : SplitList(m[3].str())) minutes.push_back(std::stoi(mi));
  std::set<int> days;
  static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  if (m[1].matched) {
    for (const auto& d : SplitList(m[1].str()))
      for (int i = 0; i < 7; ++i)
        if (d == kDays[i]) days.insert(i);
  }
  std::time_t now = std::time(nullptr);
  std::optional<int64_t> best;
  for (int add = 0; add < 8; ++add) {
    for (int hour : hours) {
      for (int minute : minutes) {
        std::tm tm{};
        std::time_t day = now + add * 86400;
        localtime_r(&day, &tm);
        tm.tm_hour = hour;
        tm.tm_min = minute;
        tm.tm_sec = 0;
        std::time_t t = std::mktime(&tm);
        if (t <= now) continue;
        if (!days.empty() && !days.contains(tm.tm_wday)) continue;
        if (!best || t < *best) best = static_cast<int64_t>(t);
      }
    }
    if (best) return best;
  }
  return best;
}

json JobJson(const Section& s) {
  json o = s.values;
  o["id"] = s.id;
  o["type"] = "vzdump";
  for (const char* k : {"prune-backups", "fleecing", "performance"}) {
    if (!o.contains(k)) continue;
    json obj = json::object();
    for (const auto& [key, v] : SplitLoose(ScalarText(o[k]))) obj[key.empty() ? "enabled" : key] = v;
    o[k] = obj;
  }
  if (auto next = NextRun(o.value("schedule", ""))) o["next-run"] = *next;
  return o;
}

// verify_vzdump_parameters + the schedule check of create/update.
Status CheckJob(Params& p, bool create) {
  if (p.Has("schedule") && p.Has("starttime"))
    return ParamError("starttime", "'starttime' and 'schedule' cannot both be set");
  if (!p.Has("schedule")) {
    if (p.Has("starttime")) {
      std::string dow = p.StrOr("dow", "");
      std::string days;
      for (const auto& d : SplitList(dow)) days += (days.empty() ? "" : ",") + d;
      p.Set("schedule", days.empty() || days == "mon,tue,wed,thu,fri,sat,sun" ? p.StrOr("starttime", "")
                                                                             : days + " " + p.StrOr("starttime", ""));
    } else if (create) {
      return ParamError("schedule", "neither 'starttime' nor 'schedule' were set");
    }
  }
  p.Erase("starttime");
  p.Erase("dow");
  if (p.Bool("all") && p.Has("vmid")) return ParamError("all", "option conflicts with option 'vmid'");
  if (p.Has("exclude") && p.Has("vmid")) return ParamError("exclude", "option conflicts with option 'vmid'");
  if (p.Has("pool") && p.Has("vmid")) return ParamError("pool", "option conflicts with option 'vmid'");
  if (p.Has("exclude") && !p.Has("pool")) p.Set("all", "1");
  if (create && !(p.Bool("all") || p.Has("pool") || p.Has("vmid"))) return ParamError("vmid", "property is missing");
  return Ok();
}

void CopyJobOptions(const Params& p, Section& s) {
  const auto& opts = BackupJobSchema().types.at("vzdump");
  for (const auto& key : p.Keys()) {
    auto it = opts.find(key);
    if (it == opts.end()) continue;
    std::string v = p.StrOr(key, "");
    if (it->second.type == "boolean" || it->second.type == "integer") s.values[key] = std::stoll(v); else s.values[key] = v;
  }
}

Status RootOnlyOptions(const Call& c) {
  for (const char* k : {"tmpdir", "dumpdir", "script"})
    if (c.params.Has(k) && c.caller.Userid() != "root@pam") return ParamError(k, "Only root may set this option.");
  return Ok();
}

Result<Reply> CreateJob(Call& c) {
  if (auto st = RootOnlyOptions(c); !st) return Fail(st.error());
  if (auto pool = c.params.Str("pool"); pool && !PoolMembers(c.sim).contains(*pool)) return Die("pool '" + *pool + "' does not exist");
  Params p = c.params;
  if (auto st = CheckJob(p, true); !st) return Fail(st.error());
  if (!p.Has("enabled")) p.Set("enabled", "1");
  std::string id = p.Take("id").value_or(RandomUuid());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile jobs = ReadBackupJobs(c.sim);
  if (jobs.Find(id)) return Die("Job '" + id + "' already exists");
  Section s{"vzdump", id, json::object()};
  CopyJobOptions(p, s);
  jobs.sections.push_back(s);
  if (auto st = WriteBackupJobs(c.sim, jobs); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateJob(Call& c) {
  if (auto st = RootOnlyOptions(c); !st) return Fail(st.error());
  Params p = c.params;
  std::string id = p.Take("id").value_or("");
  std::string del = p.Take("delete").value_or("");
  if (del.empty() && p.Keys().empty()) return Die("no options specified");
  if (auto st = CheckJob(p, false); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile jobs = ReadBackupJobs(c.sim);
  Section* s = jobs.Find(id);
  if (!s) return Die("no such vzdump job");
  const auto& opts = BackupJobSchema().types.at("vzdump");
  for (const auto& k : SplitList(del)) {
    if (!opts.contains(k)) return ParamError("delete", "unknown option '" + k + "'");
    s->values.erase(k);
  }
  // A new selection replaces the old one.
  if (p.Has("vmid")) { s->values.erase("all"); s->values.erase("pool"); s->values.erase("exclude"); }
  if (p.Bool("all") || p.Has("pool")) s->values.erase("vmid");
  CopyJobOptions(p, *s);
  if (auto st = WriteBackupJobs(c.sim, jobs); !st) return Fail(st.error());
  return Reply(nullptr);
}

}  // namespace

void AddBackupRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/backup", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& s : ReadBackupJobs(c.sim).sections) out.push_back(JobJson(s));
    return Reply(out);
  });
  t.Add("POST", "/cluster/backup", kNoFlags, CreateJob);
  t.Add("GET", "/cluster/backup/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::string id = c.params.StrOr("id", "");
    SectionFile jobs = ReadBackupJobs(c.sim);
    const Section* s = jobs.Find(id);
    if (!s) return ParamError("id", "No such job '" + id + "'");
    json o = JobJson(*s);
    o.erase("next-run");
    return Reply(o);
  });
  t.Add("PUT", "/cluster/backup/{id}", kNoFlags, UpdateJob);
  t.Add("DELETE", "/cluster/backup/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::string id = c.params.StrOr("id", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile jobs = ReadBackupJobs(c.sim);
    if (!jobs.Remove(id)) return ParamError("id", "No such job '" + id + "'");
    if (auto st = WriteBackupJobs(c.sim, jobs); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/cluster/backup-info/not-backed-up", kNoFlags, [](Call& c) -> Result<Reply> {
    std::set<int> covered;
    bool all = false;
    for (const auto& s : ReadBackupJobs(c.sim).sections) {
      if (s.values.value("enabled", 1) == 0) continue;
      if (s.values.value("all", 0) == 1) all = true;
      for (const auto& v : SplitList(s.values.value("vmid", ""))) covered.insert(std::atoi(v.c_str()));
      if (s.values.contains("pool")) {
        // The map held by name: a range-for over a member of a temporary reads freed memory before C++23's P2718.
        const std::map<std::string, std::vector<int>> pools = PoolMembers(c.sim);
        if (auto it = pools.find(s.values["pool"].get<std::string>()); it != pools.end())
          for (int vmid : it->second) covered.insert(vmid);
      }
    }
    json out = json::array();
    if (all) return Reply(out);
    for (const auto& [vmid, node] : VmList(c.sim)) {
      if (covered.contains(vmid)) continue;
      auto conf = LoadGuest(c.sim, node, vmid);
      std::string name = conf && conf->main.contains("name") ? conf->main["name"] : "";
      out.push_back({{"vmid", vmid}, {"type", "qemu"}, {"name", name}});
    }
    return Reply(out);
  });
}

}  // namespace pvesim
