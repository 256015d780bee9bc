// Container consistency, as pve-container refuses it: one vmid space for VMs and containers, a mount point
// is a volume (on a storage) or a bind mount (a host path; only root@pam may write one, so the kind refuses a
// plan that would write one with an API token, while one that exists is kept), volumes on storages that hold
// container volumes (`rootdir`), the template on a storage that holds templates (`vztmpl`), no quotas in unprivileged containers, unique MACs, bridges on
// the container's node, at most 32 NICs, and a container under HA leaves its run state to HA.
#include <set>

#include "engine/spec/checks.h"

namespace hainfra::spec {
namespace {

// The declared content of a storage holds `content` (unknown: a storage the spec does not describe).
bool StorageHolds(const CheckContext& ctx, const std::string& storage, const char* content) {
  const Resource* target = ctx.Find("storage", storage);
  if (target == nullptr || !Has(target->body, "content")) return true;
  for (const Value& c : target->body["content"]) {
    if (c == content) return true;
  }
  return false;
}

void CheckCtVolume(CheckContext& ctx, const Resource& ct, const Value& entry, const std::string& pointer) {
  const std::string storage = Str(entry, "storage");
  if (!storage.empty() && !StorageHolds(ctx, storage, "rootdir")) {
    ctx.Error(ct, pointer + "/storage", "storage `" + storage + "` does not hold container volumes (its content has no `rootdir`)");
  }
  if (entry.value("quota", false) && ct.body.value("unprivileged", false)) {
    ctx.Error(ct, pointer + "/quota", "quotas are not supported in unprivileged containers");
  }
}

void CheckOneCt(CheckContext& ctx, const Resource& ct, std::map<std::string, const Resource*>& macs) {
  const Value& body = ct.body;
  if (const Resource* vm = ctx.Find("vm", ct.address.name); vm != nullptr && !vm->absent) {
    ctx.Error(ct, "/vmid", "vmid " + ct.address.name + " is also " + vm->address.ToString() +
                               " (VMs and containers share one id space)");
  }
  const std::string tmpl = Str(body, "ostemplate");
  if (!tmpl.empty()) {
    const std::string storage = tmpl.substr(0, tmpl.find(':'));
    if (!StorageHolds(ctx, storage, "vztmpl")) {
      ctx.Error(ct, "/ostemplate", "storage `" + storage + "` does not hold container templates (its content has no `vztmpl`)");
    }
  }
  if (Has(body, "rootfs")) CheckCtVolume(ctx, ct, body["rootfs"], "/rootfs");
  const Value& mps = ListAt(body, "mount_points");
  for (size_t i = 0; i < mps.size(); ++i) {
    const Value& mp = mps[i];
    const std::string pointer = "/mount_points/" + std::to_string(i);
    const bool volume = Has(mp, "storage") || Has(mp, "size");
    if (Has(mp, "bind")) {
      if (volume) ctx.Error(ct, pointer + "/bind", "a mount point is a volume (storage, size) or a bind mount, not both");
      continue;  // an existing bind mount is kept; writing one is refused at plan time to API tokens (ct.cc)
    }
    if (!Has(mp, "storage")) {
      ctx.Error(ct, pointer, "a volume mount point needs `storage` (or `bind` for a host directory)");
      continue;
    }
    CheckCtVolume(ctx, ct, mp, pointer);
  }
  const Value& nets = ListAt(body, "nets");
  if (nets.size() > 32) ctx.Error(ct, "/nets", "a container has at most 32 network interfaces (net0..net31)");
  for (size_t i = 0; i < nets.size(); ++i) {
    const Value& net = nets[i];
    const std::string pointer = "/nets/" + std::to_string(i);
    const std::string bridge = Str(net, "bridge");
    if (ctx.Find("vlan", bridge) != nullptr && Has(net, "tag")) {
      ctx.Error(ct, pointer + "/tag", "a tag does not apply on VNet " + bridge + ": the VNet carries its own tag");
    }
    if (Has(net, "gw") && Str(net, "ip").find('/') == std::string::npos) {
      ctx.Error(ct, pointer + "/gw", "a gateway needs a static `ip` (CIDR) on the same interface");
    }
    if (Has(net, "gw6") && Str(net, "ip6").find('/') == std::string::npos) {
      ctx.Error(ct, pointer + "/gw6", "an IPv6 gateway needs a static `ip6` (CIDR) on the same interface");
    }
    const std::string mac = Str(net, "hwaddr");
    if (!mac.empty()) {
      std::string upper;
      for (char c : mac) upper += static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
      auto [it, inserted] = macs.emplace(upper, &ct);
      if (!inserted) ctx.Error(ct, pointer + "/hwaddr", "MAC address " + mac + " is also used by " + it->second->address.ToString());
    }
  }
  const std::string state = Str(body, "state");
  const Resource* ha = ctx.Find("ha_resource", "ct:" + ct.address.name);
  if ((state == "running" || state == "stopped") && ha != nullptr && !ha->absent) {
    ctx.Error(ct, "/state", "`state: " + state + "` conflicts with HA, which manages ct:" + ct.address.name +
                                ": set the HA state (started/stopped) instead");
  }
}

}  // namespace

void CheckContainers(CheckContext& ctx) {
  std::map<std::string, const Resource*> macs;
  for (const Resource* vm : ctx.OfKind("vm")) {
    for (const Value& net : ListAt(vm->body, "nets")) {
      std::string mac = Str(net, "macaddr");
      for (char& c : mac) c = static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
      if (!mac.empty()) macs.emplace(mac, vm);
    }
  }
  std::map<std::string, const Resource*> hostnames;
  for (const Resource* ct : ctx.OfKind("ct")) {
    if (ct->absent) continue;
    CheckOneCt(ctx, *ct, macs);
    const std::string name = Str(ct->body, "hostname");
    if (name.empty()) continue;
    auto [it, inserted] = hostnames.emplace(name, ct);
    if (!inserted) ctx.Warning(*ct, "/hostname", "hostname " + name + " is also used by " + it->second->address.ToString());
  }
}

}  // namespace hainfra::spec
