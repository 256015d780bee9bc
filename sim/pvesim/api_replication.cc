// /cluster/replication: storage replication jobs in replication.cfg ("local: <guest>-<jobnum>" sections), as
// pve-manager's API2::ReplicationConfig serves them. A DELETE only marks the job (`remove_job`): the
// replication runner removes the replicated volumes, then the entry; `force` removes the entry at once.
#include <string>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/privilege_check.h"
#include "sim/pvesim/router.h"

namespace pvesim {

namespace {

const SectionSchema& ReplicationSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    auto& o = s.types["local"];
    o["target"] = Req();
    o["guest"] = Opt("integer");
    o["jobnum"] = Opt("integer");
    o["rate"] = Opt("number");
    o["disable"] = Opt("boolean");
    for (const char* k : {"schedule", "comment", "remove_job", "source"}) o[k] = Opt();
    return s;
  }();
  return schema;
}

SectionFile ReadReplication(Simulator& sim) { return ReadSections(sim, "replication.cfg", ReplicationSchema()); }

Status WriteReplication(Simulator& sim, const SectionFile& jobs) {
  return WriteSections(sim, "replication.cfg", jobs, ReplicationSchema());
}

std::string GuestOfJob(const std::string& id) { return id.substr(0, id.find('-')); }

// PVE 9 checks VM.Replicate on the guest in the handler (`user => 'all'`); PVE 8's schema checks
// Datastore.Allocate on /storage before the handler runs.
Status CheckReplicate(Call& c, const std::string& id) {
  if (c.sim.pve() < 9) return Ok();
  return CheckCallerPrivileges(c.sim, c.caller, "/vms/" + GuestOfJob(id), {"VM.Replicate"});
}

bool MayAudit(Call& c, const std::string& id) {
  return CheckCallerPrivileges(c.sim, c.caller, "/vms/" + GuestOfJob(id), {"VM.Audit"}).has_value();
}

json ReplicationJson(const Section& s) {
  json o = s.values;
  o["id"] = s.id;
  o["type"] = s.type;
  const size_t dash = s.id.find('-');
  o["guest"] = std::stoll(s.id.substr(0, dash));
  o["jobnum"] = std::stoll(s.id.substr(dash + 1));
  return o;
}

// The settings a POST or PUT may write (type, id, digest and delete are taken before).
void CopyReplicationOptions(const Params& p, Section& s) {
  for (const char* k : {"target", "schedule", "comment", "remove_job", "source"}) {
    if (auto v = p.Str(k)) s.values[k] = *v;
  }
  if (auto v = p.Str("rate")) s.values["rate"] = std::stod(*v);
  if (p.Has("disable")) s.values["disable"] = p.Bool("disable") ? 1 : 0;
}

Result<Reply> CreateReplication(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  p.Take("type");
  if (auto st = CheckReplicate(c, id); !st) return Fail(st.error());
  const int guest = std::stoi(id.substr(0, id.find('-')));
  const std::string type = GuestTypeOf(c.sim, guest);
  if (type.empty()) return Die("Guest '" + std::to_string(guest) + "' does not exist.");
  const std::string node = type == "lxc" ? CtList(c.sim)[guest] : VmList(c.sim)[guest];
  const std::string target = p.StrOr("target", "");
  const ClusterView view = ClusterViewFor(c.sim, c.node);
  bool member = false;
  for (const auto& n : view.members) member = member || n.name == target;
  if (!member) return Die("Target '" + target + "' does not exist.");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile jobs = ReadReplication(c.sim);
  if (jobs.Find(id)) return Die("replication job '" + id + "' already exists");
  // pve-guest-common: one job per guest and target.
  for (const Section& other : jobs.sections) {
    if (other.id.substr(0, other.id.find('-')) == std::to_string(guest) && other.values.value("target", "") == target)
      return ParamError("target", "guest '" + std::to_string(guest) + "' is already replicated to target '" + target + "'");
  }
  Section s{"local", id, json::object()};
  CopyReplicationOptions(p, s);
  s.values["source"] = node;
  jobs.sections.push_back(s);
  if (auto st = WriteReplication(c.sim, jobs); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateReplication(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  const std::optional<std::string> digest = p.Take("digest");
  const std::string del = p.Take("delete").value_or("");
  if (auto st = CheckReplicate(c, id); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile jobs = ReadReplication(c.sim);
  if (auto st = AssertDigest(digest, jobs.digest); !st) return Fail(st.error());
  Section* s = jobs.Find(id);
  if (!s) return Die("no such replication job '" + id + "'");
  const auto& opts = ReplicationSchema().types.at("local");
  for (const auto& k : SplitList(del)) {
    if (!opts.contains(k) || k == "target") return ParamError("delete", "unknown option '" + k + "'");
    s->values.erase(k);
  }
  CopyReplicationOptions(p, *s);
  if (auto st = WriteReplication(c.sim, jobs); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> DeleteReplication(Call& c) {
  const std::string id = c.params.StrOr("id", "");
  if (auto st = CheckReplicate(c, id); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile jobs = ReadReplication(c.sim);
  Section* s = jobs.Find(id);
  if (!s) return Die("no such replication job '" + id + "'");
  if (c.params.Bool("force")) {
    jobs.Remove(id);
  } else {
    s->values["remove_job"] = c.params.Bool("keep") ? "local" : "full";
  }
  if (auto st = WriteReplication(c.sim, jobs); !st) return Fail(st.error());
  return Reply(nullptr);
}

}  // namespace

void AddReplicationRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/replication", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& s : ReadReplication(c.sim).sections)
      if (MayAudit(c, s.id)) out.push_back(ReplicationJson(s));
    return Reply(out);
  });
  t.Add("POST", "/cluster/replication", kNoFlags, CreateReplication);
  t.Add("GET", "/cluster/replication/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    SectionFile jobs = ReadReplication(c.sim);
    const Section* s = jobs.Find(id);
    if (!s) return Die("no such replication job '" + id + "'");
    if (!MayAudit(c, id)) return PermissionError("/vms/" + GuestOfJob(id) + ", VM.Audit");
    json o = ReplicationJson(*s);
    o["digest"] = jobs.digest;
    return Reply(o);
  });
  t.Add("PUT", "/cluster/replication/{id}", kNoFlags, UpdateReplication);
  t.Add("DELETE", "/cluster/replication/{id}", kNoFlags, DeleteReplication);
}

}  // namespace pvesim
