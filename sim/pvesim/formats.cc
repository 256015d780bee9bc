#include "sim/pvesim/formats.h"

#include <arpa/inet.h>

#include <cstdio>
#include <functional>
#include <map>
#include <regex>

#include "sim/pvesim/perl_regex.h"

namespace pvesim {
namespace {

using json = nlohmann::json;
using Check = std::function<std::optional<std::string>(const std::string&)>;

std::optional<std::string> Err(const std::string& text) { return text + "\n"; }

bool Matches(const char* pattern, const std::string& value) { return PerlFullMatch(pattern, value); }

// An ID as parse_storage_id / parse_bridge_id and friends check it.
Check IdCheck(const std::string& kind) {
  return [kind](const std::string& id) -> std::optional<std::string> {
    if (id.size() < 2) return Err(kind + " ID '" + id + "' cannot be shorter than 2 characters");
    if (!Matches("(?^i:[a-z][a-z0-9\\-\\_\\.]*[a-z0-9])", id)) return Err(kind + " ID '" + id + "' contains illegal characters");
    return std::nullopt;
  };
}

Check SdnIdCheck(const std::string& kind) {
  return [kind](const std::string& id) -> std::optional<std::string> {
    if (!Matches("(?^i:[a-z][a-z0-9]*[a-z0-9])", id)) return Err(kind + " ID '" + id + "' contains illegal characters");
    if (id.size() > 8) return Err(kind + " ID '" + id + "' can't be more than 8 characters");
    return std::nullopt;
  };
}

std::optional<int> CidrPrefix(const std::string& cidr, bool v6) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string addr = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (v6 ? !IsIpv6(addr) : !IsIpv4(addr)) return std::nullopt;
  int n = std::stoi(bits);
  if (n <= 7 || n > (v6 ? 128 : 32)) return std::nullopt;
  return n;
}

bool IsIpv4Mask(const std::string& mask) {
  if (!IsIpv4(mask)) return false;
  in_addr a{};
  inet_pton(AF_INET, mask.c_str(), &a);
  uint32_t m = ntohl(a.s_addr);
  uint32_t inv = ~m;
  return (inv & (inv + 1)) == 0;  // contiguous ones from the top
}

bool IsDnsName(const std::string& name) {
  return Matches("(([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)\\.)*([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)", name);
}

std::optional<std::string> VlanIdOrRange(const std::string& vlan) {
  std::smatch m;
  static const std::regex re("^(\\d+)(?:-(\\d+))?$");
  if (!std::regex_match(vlan, m, re)) return Err("invalid VLAN configuration '" + vlan + "'");
  long start = std::stol(m[1]);
  if (start < 2 || start > 4094) return Err("invalid VLAN tag '" + m[1].str() + "'");
  if (m[2].matched) {
    long end = std::stol(m[2]);
    if (end < 2 || end > 4094) return Err("invalid VLAN tag '" + m[2].str() + "'");
    if (start >= end) return Err("VLAN range must go from lower to higher tag '" + vlan + "'");
  }
  return std::nullopt;
}

const std::map<std::string, Check>& Checks() {
  static const auto* checks = new std::map<std::string, Check>{
      {"string", [](const std::string&) { return std::nullopt; }},
      {"pve-configid",
       [](const std::string& id) -> std::optional<std::string> {
         if (!Matches("(?^i:[a-z][a-z0-9_-]+)", id)) return Err("invalid configuration ID '" + id + "'");
         return std::nullopt;
       }},
      {"pve-storage-id", IdCheck("storage")},
      {"pve-bridge-id",
       [](const std::string& id) -> std::optional<std::string> {
         if (!Matches("[-_.\\w\\d]+", id)) return Err("invalid bridge ID '" + id + "'");
         return std::nullopt;
       }},
      {"pve-vmid",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("[1-9][0-9]{2,8}", v)) return Err("value does not look like a valid VM ID");
         return std::nullopt;
       }},
      {"pve-node",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)", v)) return Err("value does not look like a valid node name");
         return std::nullopt;
       }},
      {"mac-addr",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("(?^i:[a-f0-9][02468ace](?::[a-f0-9]{2}){5})", v)) return Err("value does not look like a valid unicast MAC address");
         return std::nullopt;
       }},
      {"ipv4", [](const std::string& v) { return IsIpv4(v) ? std::nullopt : Err("value does not look like a valid IPv4 address"); }},
      {"ipv6", [](const std::string& v) { return IsIpv6(v) ? std::nullopt : Err("value does not look like a valid IPv6 address"); }},
      {"ip", [](const std::string& v) { return IsIpv4(v) || IsIpv6(v) ? std::nullopt : Err("value does not look like a valid IP address"); }},
      {"ipv4mask", [](const std::string& v) { return IsIpv4Mask(v) ? std::nullopt : Err("value does not look like a valid IP netmask"); }},
      {"CIDRv4", [](const std::string& v) { return CidrPrefix(v, false) ? std::nullopt : Err("value does not look like a valid IPv4 CIDR network"); }},
      {"CIDRv6", [](const std::string& v) { return CidrPrefix(v, true) ? std::nullopt : Err("value does not look like a valid IPv6 CIDR network"); }},
      {"CIDR",
       [](const std::string& v) {
         return CidrPrefix(v, false) || CidrPrefix(v, true) ? std::nullopt : Err("value does not look like a valid CIDR network");
       }},
      {"IPorCIDR",
       [](const std::string& v) {
         return IsIpv4(v) || IsIpv6(v) || CidrPrefix(v, false) || CidrPrefix(v, true)
                    ? std::nullopt
                    : Err("value does not look like a valid IP address or CIDR network");
       }},
      {"pve-ipv4-config",
       [](const std::string& v) {
         return v == "dhcp" || v == "manual" || CidrPrefix(v, false) ? std::nullopt
                                                                     : Err("value does not look like a valid ipv4 network configuration");
       }},
      {"pve-ipv6-config",
       [](const std::string& v) {
         return v == "auto" || v == "dhcp" || v == "manual" || CidrPrefix(v, true)
                    ? std::nullopt
                    : Err("value does not look like a valid ipv6 network configuration");
       }},
      {"mac-prefix",
       [](const std::string& v) {
         // pve-cluster's pve_verify_mac_prefix: a unicast prefix of up to three and a half octets.
         return Matches("(?^i:[a-f0-9][02468ace](?::[a-f0-9]{2}){0,2}(?::[a-f0-9]?)?)", v)
                    ? std::nullopt
                    : Err("value is not a valid unicast MAC address prefix");
       }},
      {"email",
       [](const std::string& v) {
         return Matches("[\\w\\+\\-\\~]+(\\.[\\w\\+\\-\\~]+)*@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*", v)
                    ? std::nullopt
                    : Err("value does not look like a valid email address");
       }},
      {"email-or-username",
       [](const std::string& v) {
         return Matches("[\\w\\+\\-\\~]+(\\.[\\w\\+\\-\\~]+)*@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*", v) ||
                        Matches("[\\w\\+\\-\\~]+(\\.[\\w\\+\\-\\~]+)*(@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*)?", v)
                    ? std::nullopt
                    : Err("value does not look like a valid email address or user name");
       }},
      {"dns-name", [](const std::string& v) { return IsDnsName(v) ? std::nullopt : Err("value does not look like a valid DNS name"); }},
      // pve-manager's PVE::NodeConfig: a domain of two labels or more; the list is ';'-separated.
      {"pve-acme-domain",
       [](const std::string& v) {
         return Matches("(?^i:[a-z0-9][a-z0-9_-]*)(?:\\.(?^i:[a-z0-9][a-z0-9_-]*))+", v)
                    ? std::nullopt
                    : Err("value '" + v + "' does not look like a valid domain name!");
       }},
      {"pve-acme-alias",
       [](const std::string& v) {
         return Matches("(?^i:[a-z0-9][a-z0-9_-]*)(?:\\.(?^i:[a-z0-9][a-z0-9_-]*))+", v)
                    ? std::nullopt
                    : Err("value '" + v + "' does not look like a valid alias name!");
       }},
      // PVE::JSONSchema's pem-certificate(-chain) and pem-string: PEM blocks, nothing else.
      {"pem-certificate-chain",
       [](const std::string& v) {
         return v.find("-----BEGIN CERTIFICATE-----") != std::string::npos &&
                        v.find("-----END CERTIFICATE-----") != std::string::npos
                    ? std::nullopt
                    : Err("value is not a PEM certificate chain");
       }},
      {"pem-string",
       [](const std::string& v) {
         return v.find("-----BEGIN ") != std::string::npos && v.find("-----END ") != std::string::npos
                    ? std::nullopt
                    : Err("value is not a PEM string");
       }},
      {"pve-iface",
       [](const std::string& id) -> std::optional<std::string> {
         if (!Matches("(?^i:[a-z][a-z0-9_]{1,20}([:\\.]\\d+)?)", id)) return Err("invalid network interface name '" + id + "'");
         return std::nullopt;
       }},
      {"pve-vlan-id-or-range", VlanIdOrRange},
      {"address",
       [](const std::string& v) {
         return IsIpv4(v) || IsIpv6(v) || IsDnsName(v) ? std::nullopt : Err("value does not look like a valid address: " + v);
       }},
      {"disk-size",
       [](const std::string& v) {
         return Matches("(\\d+(\\.\\d+)?)([KMGT](?:iB)?)?", v) ? std::nullopt : Err("value does not look like a valid disk size: " + v);
       }},
      {"pve-startup-order",
       [](const std::string& v) -> std::optional<std::string> {
         for (const auto& part : SplitList(v)) {
           if (!Matches("(order=)?(\\d+)|up=(\\d+)|down=(\\d+)", part)) return Err("unable to parse startup options");
         }
         return std::nullopt;
       }},
      {"pve-tag",
       [](const std::string& v) { return Matches("(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*)", v) ? std::nullopt : Err("invalid characters in tag"); }},
      {"pve-poolid",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("[A-Za-z0-9\\.\\-_]+(?:/[A-Za-z0-9\\.\\-_]+){0,2}", v)) return Err("pool name '" + v + "' contains invalid characters");
         return std::nullopt;
       }},
      {"pve-realm",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("[A-Za-z][A-Za-z0-9\\.\\-_]+", v)) return Err("value '" + v + "' does not look like a valid realm");
         return std::nullopt;
       }},
      {"pve-userid",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("[^\\s:/]+\\@[A-Za-z][A-Za-z0-9\\.\\-_]+", v)) return Err("value '" + v + "' does not look like a valid user name");
         return std::nullopt;
       }},
      {"pve-ha-resource-id",
       [](const std::string& v) { return Matches("[a-z]+:\\S+", v) ? std::nullopt : Err("value does not look like a valid ha resource id"); }},
      {"pve-ha-resource-or-vm-id",
       [](const std::string& v) {
         return Matches("([a-z]+:\\S+|\\d+)", v) ? std::nullopt : Err("value does not look like a valid ha resource id");
       }},
      {"pve-ha-node",
       [](const std::string& v) {
         return Matches("([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)(:\\d+)?", v) ? std::nullopt : Err("value does not look like a valid ha node");
       }},
      {"pve-ha-group-node",
       [](const std::string& v) {
         return Matches("([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)(:\\d+)?", v) ? std::nullopt
                                                                                 : Err("value does not look like a valid ha group node");
       }},
      {"pve-sdn-zone-id", SdnIdCheck("zone")},
      {"pve-sdn-vnet-id", SdnIdCheck("vnet")},
      {"pve-sdn-subnet-id",
       [](const std::string& id) -> std::optional<std::string> {
         std::string cidr = id;
         if (id.find('/') == std::string::npos) {
           auto a = id.find('-'), b = id.find('-', a == std::string::npos ? a : a + 1);
           if (a == std::string::npos || b == std::string::npos) return Err("value does not look like a valid CIDR network");
           cidr = id.substr(a + 1, b - a - 1) + "/" + id.substr(b + 1);
         }
         if (!CidrPrefix(cidr, false) && !CidrPrefix(cidr, true)) return Err("value does not look like a valid CIDR network");
         return std::nullopt;
       }},
      {"pve-volume-id",
       [](const std::string& v) -> std::optional<std::string> {
         if (!Matches("(?^i:([a-z][a-z0-9\\-\\_\\.]*[a-z0-9]):(.+))", v)) return Err("unable to parse volume ID '" + v + "'");
         return std::nullopt;
       }},
      {"pve-calendar-event",
       [](const std::string& v) -> std::optional<std::string> {
         // The real parser is Rust (proxmox-time); accept what is plausibly a calendar event.
         if (v.empty() || !Matches("[a-zA-Z0-9 ,:.*/~\\-\\.]+", v)) return Err("unable to parse calendar event '" + v + "'");
         return std::nullopt;
       }},
      {"pve-storage-content",
       [](const std::string& v) -> std::optional<std::string> {
         static const char* kTypes[] = {"images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import", "none"};
         for (const char* t : kTypes) if (v == t) return std::nullopt;
         return Err("invalid content type '" + v + "'");
       }},
      {"pve-day-of-week",
       [](const std::string& v) {
         return Matches("(mon|tue|wed|thu|fri|sat|sun)", v) ? std::nullopt : Err("invalid day of week '" + v + "'");
       }},
  };
  return *checks;
}

json OptionalKey(const char* type) { return json{{"type", type}, {"optional", 1}}; }

const std::map<std::string, json>& HashFormats() {
  static const auto* formats = new std::map<std::string, json>{
      {"pve-qm-boot",
       json{{"legacy", json{{"type", "string"}, {"optional", 1}, {"default_key", 1}, {"pattern", "[acdn]{1,4}"}}},
            {"order", json{{"type", "string"}, {"optional", 1}, {"format", "pve-qm-bootdev-list"}}}}},
      {"pve-qm-ipconfig",
       json{{"ip", json{{"type", "string"}, {"optional", 1}, {"format", "pve-ipv4-config"}}},
            {"gw", json{{"type", "string"}, {"optional", 1}, {"format", "ipv4"}}},
            {"ip6", json{{"type", "string"}, {"optional", 1}, {"format", "pve-ipv6-config"}}},
            {"gw6", json{{"type", "string"}, {"optional", 1}, {"format", "ipv6"}}}}},
      {"prune-backups",
       json{{"keep-all", OptionalKey("boolean")},   {"keep-last", OptionalKey("integer")},
            {"keep-hourly", OptionalKey("integer")}, {"keep-daily", OptionalKey("integer")},
            {"keep-weekly", OptionalKey("integer")}, {"keep-monthly", OptionalKey("integer")},
            {"keep-yearly", OptionalKey("integer")}}},
      {"pve-vm-cpu-conf",
       json{{"cputype", json{{"type", "string"}, {"optional", 1}, {"default_key", 1}}},
            {"flags", OptionalKey("string")},
            {"hidden", OptionalKey("boolean")},
            {"hv-vendor-id", OptionalKey("string")},
            {"phys-bits", OptionalKey("string")},
            {"reported-model", OptionalKey("string")}}},
      {"pve-qm-smbios1",
       json{{"uuid", OptionalKey("string")},    {"manufacturer", OptionalKey("string")}, {"product", OptionalKey("string")},
            {"version", OptionalKey("string")}, {"serial", OptionalKey("string")},       {"sku", OptionalKey("string")},
            {"family", OptionalKey("string")},  {"base64", OptionalKey("boolean")}}},
      {"backup-fleecing",
       json{{"enabled", json{{"type", "boolean"}, {"optional", 1}, {"default_key", 1}}},
            {"storage", OptionalKey("string")}}},
      {"backup-performance",
       json{{"max-workers", OptionalKey("integer")}, {"pbs-entries-max", OptionalKey("integer")}}},
  };
  return *formats;
}

}  // namespace

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ',' || c == ';' || c == '\0' || std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool IsIpv4(const std::string& text) {
  in_addr a{};
  return text.find_first_not_of("0123456789.") == std::string::npos && inet_pton(AF_INET, text.c_str(), &a) == 1;
}

bool IsIpv6(const std::string& text) {
  in6_addr a{};
  return text.find(':') != std::string::npos && inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

std::optional<std::string> CheckNamedFormat(const std::string& format, const std::string& value) {
  // "<name>-list" and "<name>-opt" variants, as check_format splits them.
  std::string name = format;
  bool list = false, opt = false;
  if (!Checks().contains(name)) {
    if (name.size() > 5 && name.ends_with("-list")) { list = true; name.resize(name.size() - 5); }
    else if (name.size() > 4 && name.ends_with("-opt")) { opt = true; name.resize(name.size() - 4); }
  }
  auto it = Checks().find(name);
  if (it == Checks().end()) return std::nullopt;
  if (opt && value.empty()) return std::nullopt;
  if (!list) return it->second(value);
  for (const auto& entry : SplitList(value)) {
    if (auto err = it->second(entry)) return err;
  }
  return std::nullopt;
}

const nlohmann::json* NamedHashFormat(const std::string& format) {
  auto it = HashFormats().find(format);
  return it == HashFormats().end() ? nullptr : &it->second;
}

std::string UuidV4(std::mt19937& rng) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%08x%04x", static_cast<unsigned>(rng()),
                static_cast<unsigned>(rng() & 0xffff), static_cast<unsigned>(rng() & 0xfff),
                static_cast<unsigned>((rng() & 0x3fff) | 0x8000), static_cast<unsigned>(rng()),
                static_cast<unsigned>(rng() & 0xffff));
  return buf;
}

}  // namespace pvesim
