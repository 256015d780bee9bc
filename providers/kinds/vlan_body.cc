#include "providers/kinds/vlan_body.h"

#include <algorithm>

#include "providers/pve/ip_text.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

std::optional<int64_t> Integer(const Value& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      const int64_t n = std::stoll(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return n;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// The network address of a cidr ("10.20.0.0/24" for "10.20.0.7/24"); the text itself when invalid.
std::string NetworkOf(const std::string& cidr) {
  auto canonical = pve::CanonicalCidr(cidr);
  if (!canonical) return cidr;
  const std::string ip(pve::CidrAddress(*canonical));
  const std::string prefix = canonical->substr(canonical->find('/') + 1);
  if (ip.find(':') != std::string::npos) return *canonical;  // v6: Proxmox keeps the text as written
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return *canonical;
  const int bits = std::stoi(prefix);
  uint32_t addr = (a << 24) | (b << 16) | (c << 8) | d;
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  addr &= mask;
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 255) + "." +
         std::to_string((addr >> 8) & 255) + "." + std::to_string(addr & 255) + "/" + prefix;
}

}  // namespace

Value VlanFromSdn(const Value& vnet, const std::string& zone_bridge, const std::vector<Value>& subnets) {
  Value body = Value::object();
  body["name"] = vnet.value("vnet", "");
  body["zone"] = vnet.value("zone", "");
  body["bridge"] = zone_bridge;
  if (vnet.contains("tag")) {
    if (auto tag = Integer(vnet["tag"])) body["tag"] = *tag;
  }
  if (vnet.contains("alias")) body["alias"] = vnet["alias"];
  body["vlan_aware"] = vnet.contains("vlanaware") && pve::TruthOf(vnet["vlanaware"]);
  body["isolate_ports"] = vnet.contains("isolate-ports") && pve::TruthOf(vnet["isolate-ports"]);
  body["subnets"] = Value::array();
  for (const Value& s : subnets) {
    Value entry = {{"cidr", s.value("cidr", "")}, {"snat", s.contains("snat") && pve::TruthOf(s["snat"])}};
    if (s.contains("gateway")) entry["gateway"] = s["gateway"];
    body["subnets"].push_back(std::move(entry));
  }
  return body;
}

void NormalizeVlan(Value& body) {
  if (!body.is_object()) return;
  if (body.value("state", "") == "present") body.erase("state");
  if (body.contains("tag")) {
    if (auto tag = Integer(body["tag"])) body["tag"] = *tag;
  }
  for (const char* key : {"vlan_aware", "isolate_ports"}) {
    if (body.contains(key) && !body[key].is_boolean()) body[key] = pve::TruthOf(body[key]);
  }
  if (!body.contains("subnets") || !body["subnets"].is_array()) return;
  for (Value& s : body["subnets"]) {
    if (!s.is_object()) continue;
    if (s.contains("cidr") && s["cidr"].is_string()) s["cidr"] = NetworkOf(s["cidr"].get<std::string>());
    if (s.contains("gateway") && s["gateway"].is_string()) {
      if (auto ip = pve::CanonicalIp(s["gateway"].get<std::string>())) s["gateway"] = *ip;
    }
    if (s.contains("snat") && !s["snat"].is_boolean()) s["snat"] = pve::TruthOf(s["snat"]);
  }
}

std::string SubnetId(const std::string& zone, const std::string& cidr) {
  std::string id = NetworkOf(cidr);
  std::replace(id.begin(), id.end(), '/', '-');
  return zone + "-" + id;
}

Value VnetParams(const Value& body) {
  Value params = Value::object();
  if (body.contains("zone")) params["zone"] = body["zone"];
  if (body.contains("tag")) params["tag"] = body["tag"];
  if (body.contains("alias") && !body["alias"].get<std::string>().empty()) params["alias"] = body["alias"];
  if (body.contains("vlan_aware")) params["vlanaware"] = pve::TruthOf(body["vlan_aware"]) ? 1 : 0;
  if (body.contains("isolate_ports")) params["isolate-ports"] = pve::TruthOf(body["isolate_ports"]) ? 1 : 0;
  return params;
}

Value SubnetParams(const Value& subnet) {
  Value params = Value::object();
  if (subnet.contains("gateway")) params["gateway"] = subnet["gateway"];
  if (subnet.contains("snat")) params["snat"] = pve::TruthOf(subnet["snat"]) ? 1 : 0;
  return params;
}

bool SdnDiffers(const Value& want, const Value& have, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (!want.contains(key)) continue;
    const Value none;
    const Value& other = have.contains(key) ? have[key] : none;
    if (want[key].is_boolean() || other.is_boolean()) {
      if (pve::TruthOf(want[key]) != pve::TruthOf(other)) return true;
    } else if (want[key] != other) {
      if (!(want[key] == "" && other.is_null())) return true;
    }
  }
  return false;
}

}  // namespace hainfra::providers
