#include "sim/pvesim/qemu_net.h"

#include "sim/pvesim/world.h"

namespace pvesim {

namespace {

const char* kModels[] = {"e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e", "i82551", "i82557b",
                         "i82559er", "ne2k_isa", "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3"};

nlohmann::json NetFormat() {
  nlohmann::json f = {{"model", {{"type", "string"}, {"default_key", 1}}},
                      {"macaddr", {{"type", "string"}, {"optional", 1}}}};
  for (const char* m : kModels) f[m] = {{"alias", "macaddr"}, {"keyAlias", "model"}};
  for (const char* k : {"bridge", "firewall", "link_down", "mtu", "queues", "rate", "tag", "trunks"})
    f[k] = {{"type", "string"}, {"optional", 1}};
  return f;
}

bool IsModel(const std::string& s) {
  for (const char* m : kModels)
    if (s == m) return true;
  return false;
}

}  // namespace

PropertyMap ParseNet(const std::string& value) {
  PropertyMap net;
  auto parsed = SplitPropertyString(NetFormat(), value);
  if (parsed) {
    net = *parsed;
  } else {
    // Unknown keys (caught by schema validation when enabled): keep what can be kept.
    for (auto& [k, v] : SplitLoose(value)) {
      if (k.empty()) net["model"] = v;
      else if (IsModel(k)) { net["model"] = k; net["macaddr"] = v; }
      else net[k] = v;
    }
  }
  if (!net.contains("macaddr")) net["macaddr"] = RandomMac();
  return net;
}

std::string PrintNet(const PropertyMap& net) { return PrintPropertyString(net, NetFormat()); }

std::string NormalizeNet(const std::string& value) { return PrintNet(ParseNet(value)); }

}  // namespace pvesim
