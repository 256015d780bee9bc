// /nodes/{node}/tasks: task lists, status, logs and stopping, as pve-manager's API2::Tasks serves them.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"

namespace pvesim {

namespace {

Result<TaskRecord> FindTask(Call& c) {
  std::string upid = c.params.StrOr("upid", "");
  if (!TaskManager::ParseUpid(upid)) return ParamError("upid", "unable to parse worker upid");
  auto rec = c.sim.tasks().Find(upid);
  if (!rec) return ParamError("upid", "no such task");
  return *rec;
}

bool StatusMatches(const TaskRecord& r, const std::map<std::string, bool>& filter) {
  std::string kind = r.running ? "ok"  // active tasks count as ok (upid_normalize_status_type)
                     : r.exitstatus == "OK" ? "ok"
                     : r.exitstatus.rfind("WARNINGS", 0) == 0 ? "warning"
                                                              : "error";
  auto it = filter.find(kind);
  return it != filter.end() && it->second;
}

Result<Reply> NodeTasks(Call& c) {
  long long start = c.params.Int("start").value_or(0), limit = c.params.Int("limit").value_or(50);
  std::string source = c.params.StrOr("source", "archive");
  std::string userfilter = c.params.StrOr("userfilter", ""), typefilter = c.params.StrOr("typefilter", "");
  std::string vmid = c.params.StrOr("vmid", "");
  auto since = c.params.Int("since"), until = c.params.Int("until");
  std::map<std::string, bool> statusfilter = {{"ok", true}, {"warning", true}, {"error", true}, {"unknown", true}};
  bool errors = c.params.Bool("errors");
  if (c.params.Has("statusfilter") && !errors) {
    for (auto& [k, v] : statusfilter) v = false;
    for (const auto& f : SplitList(c.params.StrOr("statusfilter", ""))) {
      std::string lower = f;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
      statusfilter[lower] = true;
    }
  } else if (errors) {
    statusfilter["ok"] = false;
  }
  json out = json::array();
  long long count = 0;
  for (const auto& r : c.sim.tasks().List(c.node)) {
    bool active = r.running;
    if (active && source == "archive") continue;
    if (!active && source == "active") continue;
    if (!userfilter.empty() && r.user.find(userfilter) == std::string::npos) continue;
    if (!typefilter.empty() && r.type != typefilter) continue;
    if (!vmid.empty() && r.id != vmid) continue;
    if (since && r.starttime < *since) continue;
    if (until && r.starttime > *until) continue;
    if (!StatusMatches(r, statusfilter)) continue;
    if (count++ < start) continue;
    if (limit <= 0) continue;
    out.push_back(TaskListEntryJson(r));
    --limit;
  }
  Reply reply(out);
  reply.total = count;
  return reply;
}

Result<Reply> TaskLog(Call& c) {
  auto rec = FindTask(c);
  if (!rec) return Fail(rec.error());
  if (c.params.Bool("download")) {
    if (c.params.Has("start") || c.params.Has("limit"))
      return Die("'download' cannot be used together with 'start' or 'limit' parameters");
    std::string text;
    for (const auto& l : rec->log) text += l + "\n";
    return Reply(text);
  }
  long long start = c.params.Int("start").value_or(0), limit = c.params.Int("limit").value_or(50);
  json lines = json::array();
  long long n = 0;
  for (const auto& line : rec->log) {
    ++n;
    if (n <= start) continue;
    if (static_cast<long long>(lines.size()) >= limit) continue;
    lines.push_back({{"n", n}, {"t", line}});
  }
  if (rec->log.empty()) lines.push_back({{"n", 0}, {"t", "no content"}});
  Reply reply(lines);
  reply.total = n;
  return reply;
}

}  // namespace

void AddTaskRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/tasks", kProxyNode, NodeTasks);
  t.Add("GET", "/nodes/{node}/tasks/{upid}", kNoFlags, [](Call& c) -> Result<Reply> {
    auto rec = FindTask(c);
    if (!rec) return Fail(rec.error());
    return Reply(Index({"log", "status"}));
  });
  t.Add("GET", "/nodes/{node}/tasks/{upid}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    auto rec = FindTask(c);
    if (!rec) return Fail(rec.error());
    return Reply(TaskStatusJson(*rec));
  });
  t.Add("GET", "/nodes/{node}/tasks/{upid}/log", kProxyNode, TaskLog);
  t.Add("DELETE", "/nodes/{node}/tasks/{upid}", kProxyNode, [](Call& c) -> Result<Reply> {
    auto rec = FindTask(c);
    if (!rec) return Fail(rec.error());
    c.sim.tasks().RequestStop(rec->upid);
    return Reply(nullptr);
  });
}

}  // namespace pvesim
