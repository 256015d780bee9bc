// VM consistency: the boot order names the VM's own devices, MACs are unique, disks sit on storages that
// hold images, bridges exist on the VM's node, a VM under HA leaves its run state to HA, templates do not
// run, and PCIe passthrough has a q35 machine.
#include <algorithm>
#include <map>
#include <set>

#include "engine/spec/checks.h"

namespace hainfra::spec {
namespace {

// The slots of a VM's disks or nets (a handful: a vector beats a set).
std::vector<std::string> Slots(const Value& body, const char* list) {
  std::vector<std::string> slots;
  for (const Value& entry : ListAt(body, list)) slots.push_back(Str(entry, "slot"));
  return slots;
}

bool Contains(const std::vector<std::string>& slots, const std::string& slot) {
  return std::find(slots.begin(), slots.end(), slot) != slots.end();
}

void CheckImagesStorage(CheckContext& ctx, const Resource& vm, const std::string& storage,
                        const std::string& pointer) {
  const Resource* target = ctx.Find("storage", storage);
  if (target == nullptr || !Has(target->body, "content")) return;
  for (const Value& c : target->body["content"]) {
    if (c == "images") return;
  }
  ctx.Error(vm, pointer, "storage `" + storage + "` does not hold VM disks (its content has no `images`)");
}

// The bridges of every node whose network the spec manages (computed once, used for every VM).
struct Bridges {
  std::map<std::string, std::set<std::string>> by_node;
  std::set<std::string> all;
};

Bridges CollectBridges(const CheckContext& ctx) {
  Bridges b;
  for (const Resource* node : ctx.OfKind("node")) {
    if (!Has(node->body, "network")) continue;
    std::set<std::string>& mine = b.by_node[node->address.name];
    for (const Value& iface : node->body["network"]) {
      if (Str(iface, "type") != "bridge") continue;
      mine.insert(Str(iface, "iface"));
      b.all.insert(Str(iface, "iface"));
    }
  }
  return b;
}

void CheckOneVm(CheckContext& ctx, const Resource& vm, const Bridges& all_bridges,
                std::map<std::string, const Resource*>& macs) {
  const Value& body = vm.body;
  const std::vector<std::string> disks = Slots(body, "disks");
  const std::vector<std::string> nets = Slots(body, "nets");
  std::vector<std::string> cdroms;
  if (Has(body, "cdrom") && body["cdrom"].is_object()) {
    for (auto it = body["cdrom"].begin(); it != body["cdrom"].end(); ++it) {
      cdroms.push_back(it.key());
      if (Contains(disks, it.key())) ctx.Error(vm, "/cdrom/" + it.key(), "slot " + it.key() + " is also one of its disks");
    }
  }

  const Value& boot = ListAt(body, "boot");
  for (size_t i = 0; i < boot.size(); ++i) {
    const std::string device = boot[i].get<std::string>();
    if (!Contains(disks, device) && !Contains(nets, device) && !Contains(cdroms, device)) {
      ctx.Error(vm, "/boot/" + std::to_string(i), "boot device " + device + " is not one of its disks, CD-ROMs or nets");
    }
  }

  // Templates never run (qemu-server refuses to start them); a clone names another guest.
  const bool is_template = Has(body, "template") && body["template"] == Value(true);
  if (is_template && Str(body, "state") == "running") {
    ctx.Error(vm, "/template", "a template cannot run (Proxmox refuses to start it): drop `state: running`");
  }
  if (Has(body, "clone") && Str(body["clone"], "from") == vm.address.name) {
    ctx.Error(vm, "/clone/from", "a VM cannot be cloned from itself");
  }
  if (Has(body, "clone") && Has(body["clone"], "storage") && Has(body["clone"], "full") && body["clone"]["full"] == Value(false)) {
    ctx.Error(vm, "/clone/storage", "a linked clone stays on its template's storage: `storage` needs `full: true`");
  }
  const Value& pcis = ListAt(body, "hostpci");
  for (size_t i = 0; i < pcis.size(); ++i) {
    if (Has(pcis[i], "pcie") && pcis[i]["pcie"] == Value(true) && Str(body, "machine").find("q35") == std::string::npos) {
      ctx.Error(vm, "/hostpci/" + std::to_string(i) + "/pcie", "PCI Express passthrough needs `machine: q35`");
    }
  }
  if (Has(body, "tpm_state")) CheckImagesStorage(ctx, vm, Str(body["tpm_state"], "storage"), "/tpm_state/storage");

  const Value& disk_list = ListAt(body, "disks");
  for (size_t i = 0; i < disk_list.size(); ++i) {
    CheckImagesStorage(ctx, vm, Str(disk_list[i], "storage"), "/disks/" + std::to_string(i) + "/storage");
  }
  if (Has(body, "efi_disk")) {
    CheckImagesStorage(ctx, vm, Str(body["efi_disk"], "storage"), "/efi_disk/storage");
    if (Str(body, "bios") != "ovmf") ctx.Error(vm, "/efi_disk", "an efi_disk needs bios: ovmf");
  }

  const auto node_bridges = all_bridges.by_node.find(Str(body, "node"));
  const bool managed = node_bridges != all_bridges.by_node.end();
  const Value& net_list = ListAt(body, "nets");
  for (size_t i = 0; i < net_list.size(); ++i) {
    const Value& net = net_list[i];
    const std::string pointer = "/nets/" + std::to_string(i);
    const std::string bridge = Str(net, "bridge");
    const Resource* vnet = ctx.Find("vlan", bridge);
    if (vnet != nullptr && Has(net, "tag")) {
      ctx.Error(vm, pointer + "/tag", "a tag does not apply on VNet " + bridge + ": the VNet carries its own tag");
    }
    // A bridge no node declares is reported by the reference check; here: one that exists elsewhere only.
    if (vnet == nullptr && managed && all_bridges.all.count(bridge) != 0 && node_bridges->second.count(bridge) == 0) {
      ctx.Error(vm, pointer + "/bridge", "bridge " + bridge + " is not declared on node " + Str(body, "node"));
    }
    const std::string mac = Str(net, "macaddr");
    if (!mac.empty()) {
      std::string upper;
      for (char c : mac) upper += static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
      auto [it, inserted] = macs.emplace(upper, &vm);
      if (!inserted) {
        ctx.Error(vm, pointer + "/macaddr", "MAC address " + mac + " is also used by " + it->second->address.ToString());
      }
    }
  }

  if (Has(body, "cloud_init")) {
    const Value& ips = ListAt(body["cloud_init"], "ip");
    for (size_t i = 0; i < ips.size(); ++i) {
      const std::string slot = Str(ips[i], "slot");
      constexpr std::string_view kPrefix = "ipconfig";
      if (slot.size() <= kPrefix.size()) continue;  // no valid slot: reported by the typer
      const std::string net = "net" + slot.substr(kPrefix.size());
      if (!Contains(nets, net)) {
        ctx.Error(vm, "/cloud_init/ip/" + std::to_string(i), slot + " has no matching " + net + " in nets");
      }
    }
    const std::string storage = Str(body["cloud_init"], "storage");
    if (!storage.empty()) CheckImagesStorage(ctx, vm, storage, "/cloud_init/storage");
  }

  // qm: "balloon value too large (must be smaller than assigned memory)".
  if (Has(body, "balloon") && Has(body, "memory") && body["balloon"].is_number_integer() &&
      body["memory"].is_number_integer() && body["balloon"].get<int64_t>() > body["memory"].get<int64_t>()) {
    ctx.Error(vm, "/balloon", "balloon " + std::to_string(body["balloon"].get<int64_t>()) +
                                  " MiB is more than memory " + std::to_string(body["memory"].get<int64_t>()) +
                                  " MiB (Proxmox refuses it)");
  }

  // HA owns the run state of the guests it manages (principle 5: work with Proxmox, not against it).
  const std::string state = Str(body, "state");
  const Resource* ha = ctx.Find("ha_resource", "vm:" + vm.address.name);
  if ((state == "running" || state == "stopped") && ha != nullptr && !ha->absent) {
    ctx.Error(vm, "/state", "`state: " + state + "` conflicts with HA, which manages vm:" + vm.address.name +
                                ": set the HA state (started/stopped) instead");
  }
}

}  // namespace

void CheckVms(CheckContext& ctx) {
  std::map<std::string, const Resource*> macs;
  std::map<std::string, const Resource*> names;
  const Bridges all_bridges = CollectBridges(ctx);
  for (const Resource* vm : ctx.OfKind("vm")) {
    if (vm->absent) continue;
    CheckOneVm(ctx, *vm, all_bridges, macs);
    const std::string name = Str(vm->body, "name");
    if (name.empty()) continue;
    auto [it, inserted] = names.emplace(name, vm);
    if (!inserted) {
      ctx.Warning(*vm, "/name", "name " + name + " is also used by " + it->second->address.ToString());
    }
  }
}

}  // namespace hainfra::spec
