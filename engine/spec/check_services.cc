// The cluster services: storage replication (a guest that exists, another node as target, a schedule Proxmox
// parses, every volume on ZFS that the target has — pve-guest-common refuses the rest at the first run);
// notifications (one name space for targets and matchers, matchers naming declared targets, mail targets
// with a recipient); metric servers (the settings of their type only).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/spec/checks.h"
#include "engine/spec/pve_calendar.h"

namespace hainfra::spec {
namespace {

// One volume of a guest as the spec declares it: where it is written and on which storage it lives.
struct ServicesVolume {
  std::string pointer;  // in the guest's body: "/disks/0/storage"
  std::string storage;
};

bool ServicesReplicated(const Value& volume) { return !(Has(volume, "replicate") && volume["replicate"] == Value(false)); }

// The volumes replication copies: a VM's disks, EFI and TPM state; a container's root and volume mount
// points (bind mounts are host directories, and `replicate: false` leaves a volume out).
std::vector<ServicesVolume> ReplicatedVolumes(const Resource& guest) {
  std::vector<ServicesVolume> out;
  const Value& body = guest.body;
  const Value& disks = ListAt(body, "disks");
  for (size_t i = 0; i < disks.size(); ++i) {
    if (ServicesReplicated(disks[i]) && Has(disks[i], "storage")) {
      out.push_back({"/disks/" + std::to_string(i) + "/storage", Str(disks[i], "storage")});
    }
  }
  for (const char* key : {"efi_disk", "tpm_state", "rootfs"}) {
    const Value& volume = ObjectAt(body, key);
    if (Has(volume, "storage") && ServicesReplicated(volume)) {
      out.push_back({"/" + std::string(key) + "/storage", Str(volume, "storage")});
    }
  }
  const Value& mounts = ListAt(body, "mount_points");
  for (size_t i = 0; i < mounts.size(); ++i) {
    if (ServicesReplicated(mounts[i]) && Has(mounts[i], "storage")) {
      out.push_back({"/mount_points/" + std::to_string(i) + "/storage", Str(mounts[i], "storage")});
    }
  }
  return out;
}

// Whether a storage may be used on `node`: no `nodes` list, or the node in it.
bool StorageOnNode(const Resource& storage, const std::string& node) {
  const Value& nodes = ListAt(storage.body, "nodes");
  if (nodes.empty()) return true;
  for (const Value& n : nodes) {
    if (n.is_string() && n.get<std::string>() == node) return true;
  }
  return false;
}

void CheckReplicationJob(CheckContext& ctx, const Resource& job, std::set<std::string>& guest_targets) {
  const Value& body = job.body;
  const std::string id = job.address.name;
  const std::string vmid = id.substr(0, id.find('-'));
  if (const std::string schedule = Str(body, "schedule"); !schedule.empty()) {
    if (const std::string problem = CalendarEventProblem(schedule); !problem.empty()) {
      ctx.Error(job, "/schedule", "Proxmox refuses the schedule `" + schedule + "`: " + problem);
    }
  }
  const Resource* guest = ctx.Find("vm", vmid);
  if (guest == nullptr) guest = ctx.Find("ct", vmid);
  if (guest == nullptr || guest->absent) {
    ctx.Error(job, "/id", "guest " + vmid + " is not a declared VM or container (the id is <GUEST>-<JOBNUM>)");
    return;
  }
  const std::string target = Str(body, "target");
  const std::string source = Str(guest->body, "node");
  if (!target.empty() && target == source) {
    ctx.Error(job, "/target", "guest " + vmid + " runs on " + target + ": the target must be another node");
  }
  if (!target.empty() && !guest_targets.insert(vmid + " " + target).second) {
    ctx.Error(job, "/target", "guest " + vmid + " already has a replication job to " + target);
  }
  if (target.empty()) return;
  // Only ZFS can replicate (pve-storage's `replicate` feature is zfspool's alone), and the target needs the
  // same storage: the volumes land there under the same name.
  for (const ServicesVolume& v : ReplicatedVolumes(*guest)) {
    const Resource* storage = ctx.Find("storage", v.storage);
    if (storage == nullptr) continue;  // reported by the reference check
    const std::string where = "guest " + vmid + "'s volume " + guest->address.ToString() + v.pointer;
    const std::string type = Str(storage->body, "type");
    if (type != "zfspool") {
      ctx.Error(job, "/id", where + " is on storage `" + v.storage + "` (" + type +
                                "): replication needs every volume on a zfspool storage (or `replicate: false` on it)");
    } else if (!StorageOnNode(*storage, target)) {
      ctx.Error(job, "/target", where + " is on storage `" + v.storage + "`, which target " + target +
                                    " does not have (see the storage's `nodes`)");
    } else if (Has(storage->body, "disable") && storage->body["disable"] == Value(true)) {
      ctx.Error(job, "/id", where + " is on storage `" + v.storage + "`, which is disabled");
    }
  }
}

}  // namespace

void CheckNotifications(CheckContext& ctx) {
  // proxmox-notify keeps targets and matchers in one section-config file: one name space.
  std::map<std::string, const Resource*> names;
  std::set<std::string> present_targets = {"mail-to-root"};  // built in: always there
  for (const char* kind : {"notification_sendmail", "notification_smtp", "notification_gotify", "notification_webhook",
                           "notification_matcher"}) {
    for (const Resource* r : ctx.OfKind(kind)) {
      auto [it, fresh] = names.emplace(r->address.name, r);
      if (!fresh) {
        ctx.Error(*r, "/name", "the name `" + r->address.name + "` is already used by " + it->second->address.ToString() +
                                   " (targets and matchers share one name space)");
      }
      if (r->absent || std::string(kind) == "notification_matcher") continue;
      present_targets.insert(r->address.name);
      const bool mail = std::string(kind) == "notification_sendmail" || std::string(kind) == "notification_smtp";
      if (mail && ListAt(r->body, "mailto").empty() && ListAt(r->body, "mailto_users").empty()) {
        ctx.Error(*r, "", "a mail target needs a recipient: mailto or mailto_users");
      }
    }
  }
  for (const Resource* matcher : ctx.OfKind("notification_matcher")) {
    if (matcher->absent) continue;
    const Value& targets = ListAt(matcher->body, "targets");
    for (size_t i = 0; i < targets.size(); ++i) {
      if (!targets[i].is_string() || present_targets.count(targets[i].get<std::string>()) != 0) continue;
      ctx.Error(*matcher, "/targets/" + std::to_string(i),
                "target `" + targets[i].get<std::string>() + "` is not a declared notification target (sendmail, smtp, "
                "gotify, webhooks) or the built-in mail-to-root");
    }
  }
}

void CheckMetricServers(CheckContext& ctx) {
  for (const Resource* server : ctx.OfKind("metric_server")) {
    if (server->absent) continue;
    const Value& body = server->body;
    const std::string type = Str(body, "type");
    const bool influx = type == "influxdb";
    const std::string protocol = Str(body, "protocol");
    if (!protocol.empty() && (influx ? protocol == "tcp" : (protocol == "http" || protocol == "https"))) {
      ctx.Error(*server, "/protocol",
                "a " + type + " server speaks " + (influx ? "udp, http or https" : "udp or tcp") + ", not " + protocol);
    }
    const bool http = influx && (protocol == "http" || protocol == "https");
    for (const char* key : {"organization", "bucket", "token", "api_path_prefix", "max_body_size", "verify_certificate"}) {
      if (Has(body, key) && !http) {
        ctx.Error(*server, std::string("/") + key, "`" + std::string(key) + "` applies to influxdb over http or https only");
      }
    }
    if (Has(body, "path") && influx) ctx.Error(*server, "/path", "`path` applies to graphite only");
  }
}

void CheckReplication(CheckContext& ctx) {
  std::set<std::string> guest_targets;
  for (const Resource* job : ctx.OfKind("replication")) {
    if (job->absent) continue;
    CheckReplicationJob(ctx, *job, guest_targets);
  }
}

}  // namespace hainfra::spec
