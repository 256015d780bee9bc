#include "schemas/formats.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace hainfra::schemas {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlpha(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <typename Pred>
bool All(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// One DNS label / node name: [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?
bool IsLabel(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return All(s, [](char c) { return IsAlnum(c) || c == '-'; });
}

// A decimal number without sign; false on overflow of `max`.
bool ParseUnsigned(std::string_view s, int max, int& out) {
  if (s.empty() || s.size() > 10 || !All(s, IsDigit)) return false;
  long long v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  if (v > max) return false;
  out = static_cast<int>(v);
  return true;
}

// Proxmox's octet: 25[0-5]|(2[0-4]|1[0-9]|[1-9])?[0-9] — no leading zeros.
bool IsOctet(std::string_view s) {
  if (s.empty() || s.size() > 3 || !All(s, IsDigit)) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  int v = 0;
  return ParseUnsigned(s, 255, v);
}

bool IsH16(std::string_view s) { return !s.empty() && s.size() <= 4 && All(s, IsHex); }

// Counts the 16-bit groups of a ':'-separated run; the last piece may be an IPv4 address (two groups)
// when `allow_ipv4_tail`. -1 when malformed.
int CountGroups(std::string_view s, bool allow_ipv4_tail) {
  if (s.empty()) return 0;
  int groups = 0;
  size_t start = 0;
  while (true) {
    const size_t colon = s.find(':', start);
    const std::string_view piece = s.substr(start, colon == std::string_view::npos ? s.npos : colon - start);
    const bool last = colon == std::string_view::npos;
    if (last && allow_ipv4_tail && piece.find('.') != std::string_view::npos) {
      if (!IsIpv4(piece)) return -1;
      return groups + 2;
    }
    if (!IsH16(piece)) return -1;
    ++groups;
    if (last) return groups;
    start = colon + 1;
  }
}

bool CheckPveNode(std::string_view s) { return IsLabel(s); }

bool CheckDnsName(std::string_view s) {
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    if (!IsLabel(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool CheckAddress(std::string_view s) { return IsIpv4(s) || IsIpv6(s) || CheckDnsName(s); }

bool CheckConfigId(std::string_view s) {
  return s.size() >= 2 && IsAlpha(s[0]) && All(s, [](char c) { return IsAlnum(c) || c == '_' || c == '-'; });
}

// pve-access-control's verify_username: a name without blanks, ':' or '/', '@', then a realm id; 64 at most.
bool CheckPveUserid(std::string_view s) {
  const size_t at = s.rfind('@');
  if (s.size() > 64 || at == 0 || at == std::string_view::npos || at + 3 > s.size()) return false;
  const std::string_view name = s.substr(0, at);
  const std::string_view realm = s.substr(at + 1);
  const bool name_ok = All(name, [](char c) {
    return c != ':' && c != '/' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v';
  });
  return name_ok && IsAlpha(realm[0]) &&
         All(realm, [](char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; });
}

// pve-access-control's verify_groupname: letters, digits, '-', '_' and '.'.
bool CheckPveGroupid(std::string_view s) {
  return !s.empty() && All(s, [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool CheckStorageId(std::string_view s) {
  return s.size() >= 2 && IsAlpha(s.front()) && IsAlnum(s.back()) &&
         All(s, [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// [a-zA-Z][a-zA-Z0-9_]{1,20}([:.][0-9]+)?
bool CheckIface(std::string_view s) {
  std::string_view base = s;
  const size_t sep = s.find_first_of(":.");
  if (sep != std::string_view::npos) {
    const std::string_view num = s.substr(sep + 1);
    if (num.empty() || !All(num, IsDigit)) return false;
    base = s.substr(0, sep);
  }
  return base.size() >= 2 && base.size() <= 21 && IsAlpha(base[0]) &&
         All(base, [](char c) { return IsAlnum(c) || c == '_'; });
}

bool CheckSdnId(std::string_view s) {
  return s.size() >= 2 && IsAlpha(s.front()) && All(s, IsAlnum);
}

bool CheckTag(std::string_view s) {
  return !s.empty() && (IsAlnum(s[0]) || s[0] == '_') &&
         All(s, [](char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '+' || c == '.'; });
}

bool CheckMac(std::string_view s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':') return false;
    } else if (!IsHex(s[i])) {
      return false;
    }
  }
  // The I/G bit must be clear: Proxmox refuses multicast MACs (second hex digit even).
  const char c = static_cast<char>(s[1] | 0x20);
  return c == '0' || c == '2' || c == '4' || c == '6' || c == '8' || c == 'a' || c == 'c' || c == 'e';
}

bool CheckCidrV4(std::string_view s) {
  std::string_view address;
  int prefix = 0;
  return SplitCidr(s, address, prefix) && IsIpv4(address) && prefix >= 8 && prefix <= 32;
}

bool CheckCidrV6(std::string_view s) {
  std::string_view address;
  int prefix = 0;
  return SplitCidr(s, address, prefix) && IsIpv6(address) && prefix >= 8 && prefix <= 128;
}

bool CheckCidr(std::string_view s) { return CheckCidrV4(s) || CheckCidrV6(s); }
bool CheckIp(std::string_view s) { return IsIpv4(s) || IsIpv6(s); }
bool CheckCidrV4OrDhcp(std::string_view s) { return s == "dhcp" || CheckCidrV4(s); }
bool CheckCidrV6OrAuto(std::string_view s) { return s == "dhcp" || s == "auto" || CheckCidrV6(s); }

// vm:<vmid> or ct:<vmid> — hainfra always writes the sid with its type.
bool CheckHaSid(std::string_view s) {
  if (s.substr(0, 3) != "vm:" && s.substr(0, 3) != "ct:") return false;
  const std::string_view id = s.substr(3);
  return id.size() >= 3 && id.size() <= 9 && id[0] != '0' && All(id, IsDigit);
}

// A TCP port 1..65535, written without leading zeros.
bool IsPort(std::string_view s) {
  int v = 0;
  return !s.empty() && s[0] != '0' && s.size() <= 5 && ParseUnsigned(s, 65535, v) && v >= 1;
}

// https://HOST[:PORT][/PATH]: HOST a DNS name, an IPv4 address or a bracketed IPv6 address, as curl and
// Proxmox's API clients take it.
bool CheckUrl(std::string_view s) {
  if (s.substr(0, 8) != "https://") return false;
  const std::string_view rest = s.substr(8);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  for (char c : rest) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return false;
  }
  std::string_view host = authority;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || !IsIpv6(authority.substr(1, close - 1))) return false;
    if (close + 1 == authority.size()) return true;
    return authority[close + 1] == ':' && IsPort(authority.substr(close + 2));
  }
  const size_t colon = authority.find(':');
  if (colon != std::string_view::npos) {
    if (!IsPort(authority.substr(colon + 1))) return false;
    host = authority.substr(0, colon);
  }
  return IsIpv4(host) || CheckDnsName(host);
}

// user@realm!tokenid
bool CheckApiToken(std::string_view s) {
  const size_t at = s.find('@');
  const size_t bang = s.find('!');
  if (at == 0 || at == std::string_view::npos || bang == std::string_view::npos || bang < at + 2) return false;
  const std::string_view user = s.substr(0, at);
  const std::string_view realm = s.substr(at + 1, bang - at - 1);
  const std::string_view token = s.substr(bang + 1);
  auto user_ok = [](char c) {
    return c != '@' && c != '!' && c != ':' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
           c != '\v';
  };
  auto id_ok = [](char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '-'; };
  return All(user, user_ok) && All(realm, id_ok) && !token.empty() && IsAlpha(token[0]) && All(token, id_ok);
}

bool CheckFingerprint(std::string_view s) {
  if (s.size() != 95) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2 ? s[i] != ':' : !IsHex(s[i])) return false;
  }
  return true;
}

bool CheckCalendarEvent(std::string_view s) {
  return !s.empty() && All(s, [](char c) {
    return IsAlnum(c) || c == ' ' || c == ':' || c == ',' || c == '.' || c == '*' || c == '/' || c == '~' ||
           c == '-' || c == '+';
  });
}

bool CheckDebPackage(std::string_view s) {
  return s.size() >= 2 && (IsLower(s[0]) || IsDigit(s[0])) &&
         All(s, [](char c) { return IsLower(c) || IsDigit(c) || c == '+' || c == '.' || c == '-'; });
}

// [epoch:]upstream[-revision] as dpkg parses it: upstream starts with a digit, the revision is what follows
// the last '-' and is never empty ("revision number is empty").
bool CheckDebVersion(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon != std::string_view::npos) {
    if (colon == 0 || !All(s.substr(0, colon), IsDigit)) return false;
    s = s.substr(colon + 1);
  }
  return !s.empty() && IsDigit(s[0]) && s.back() != '-' &&
         All(s, [](char c) { return IsAlnum(c) || c == '.' || c == '+' || c == '~' || c == '-'; });
}

bool CheckSshdKeyword(std::string_view s) { return !s.empty() && IsAlpha(s[0]) && All(s, IsAlnum); }

bool IsVlanId(std::string_view s) {
  int v = 0;
  return !s.empty() && s[0] != '0' && ParseUnsigned(s, 4094, v) && v >= 1;
}

// 100 or 100-200 (a VLAN id or an inclusive range of them).
bool CheckVlanRange(std::string_view s) {
  const size_t dash = s.find('-');
  if (dash == std::string_view::npos) return IsVlanId(s);
  return IsVlanId(s.substr(0, dash)) && IsVlanId(s.substr(dash + 1));
}

// A mail address or a PVE user name: no blanks, at most one '@' with text on both sides.
bool CheckEmailOrUser(std::string_view s) {
  auto ok = [](char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != ',' && c != ';' &&
           c != '@';
  };
  const size_t at = s.find('@');
  if (at == std::string_view::npos) return !s.empty() && All(s, ok);
  return at > 0 && at + 1 < s.size() && All(s.substr(0, at), ok) && All(s.substr(at + 1), ok);
}

bool CheckAbsolutePath(std::string_view s) {
  return !s.empty() && s[0] == '/' && All(s, [](char c) { return c != '\n' && c != '\r'; });
}

// pve-cluster's pve_verify_mac_prefix: a unicast prefix of one to three octets, optionally a half octet
// more (`BC:24:11:0`); the second hex digit even.
bool CheckMacPrefix(std::string_view s) {
  if (s.size() < 2 || !IsHex(s[0]) || std::string_view("02468aceACE").find(s[1]) == std::string_view::npos) {
    return false;
  }
  size_t i = 2;
  for (int full = 0; full < 2 && i + 3 <= s.size() && s[i] == ':' && IsHex(s[i + 1]) && IsHex(s[i + 2]); ++full) {
    i += 3;
  }
  if (i == s.size()) return true;
  return s[i] == ':' && (s.size() - i == 1 || (s.size() - i == 2 && IsHex(s[i + 1])));
}

// pve-common's EMAIL_RE (ASCII word characters).
bool CheckEmail(std::string_view s) {
  const size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  auto local_ok = [](char c) { return IsAlnum(c) || c == '_' || c == '+' || c == '-' || c == '~'; };
  auto domain_ok = [](char c) { return IsAlnum(c) || c == '-'; };
  auto parts_ok = [](std::string_view text, auto ok) {
    size_t start = 0;
    while (true) {
      const size_t dot = text.find('.', start);
      const std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
      if (part.empty() || !All(part, ok)) return false;
      if (dot == std::string_view::npos) return true;
      start = dot + 1;
    }
  };
  return parts_ok(s.substr(0, at), local_ok) && parts_ok(s.substr(at + 1), domain_ok);
}

// A role name as pve-access-control's verify_rolename takes it: letters, digits, '.', '-' and '_'.
bool CheckPveRole(std::string_view s) {
  return !s.empty() && All(s, [](char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; });
}

// A role hainfra may manage: a role name that is none of the built-in roles (Administrator, NoAccess and
// the PVE* namespace Proxmox reserves).
bool CheckCustomRole(std::string_view s) {
  if (!CheckPveRole(s) || s == "Administrator" || s == "NoAccess") return false;
  return !(s.size() >= 3 && (s[0] == 'P' || s[0] == 'p') && (s[1] == 'V' || s[1] == 'v') && (s[2] == 'E' || s[2] == 'e'));
}

// An ACL path: '/', or '/'-joined names of letters, digits, '.', '-' and '_' under one of the roots
// Proxmox knows (/access, /nodes, /pool, /sdn, /storage, /vms, /mapping).
bool CheckAclPath(std::string_view s) {
  if (s == "/") return true;
  if (s.size() < 2 || s[0] != '/' || s.back() == '/') return false;
  if (!All(s, [](char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_' || c == '/'; })) return false;
  if (s.find("//") != std::string_view::npos) return false;
  const std::string_view root = s.substr(1, s.find('/', 1) == std::string_view::npos ? s.npos : s.find('/', 1) - 1);
  for (std::string_view known : {"access", "nodes", "pool", "sdn", "storage", "vms", "mapping"}) {
    if (root == known) return true;
  }
  return false;
}

// A realm id: a letter, then letters, digits, '.', '-' and '_' (pve-realm), 32 at most.
bool CheckRealmId(std::string_view s) {
  return s.size() >= 2 && s.size() <= 32 && IsAlpha(s[0]) &&
         All(s, [](char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; });
}

// pve-poolid: one to three '/'-joined names of letters, digits, '.', '-' or '_'; each starts with a letter
// (pve-manager refuses to create a pool whose name does not).
bool CheckPoolId(std::string_view s) {
  int levels = 0;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    const std::string_view part = s.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || !IsAlpha(part[0]) ||
        !All(part, [](char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; })) {
      return false;
    }
    if (++levels > 3) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// A tag color: RRGGBB, optionally :RRGGBB for the text.
bool CheckTagColor(std::string_view s) {
  if (s.size() != 6 && s.size() != 13) return false;
  if (!All(s.substr(0, 6), IsHex)) return false;
  return s.size() == 6 || (s[6] == ':' && All(s.substr(7), IsHex));
}

// The regular expressions, written from the same rules as the checkers above (RFC 3986 for IPv6).
#define OCTET "(25[0-5]|(2[0-4]|1[0-9]|[1-9])?[0-9])"
#define IPV4 "(" OCTET "\\." OCTET "\\." OCTET "\\." OCTET ")"
#define H16 "[0-9a-fA-F]{1,4}"
#define LS32 "(" H16 ":" H16 "|" IPV4 ")"
#define IPV6                                                                                     \
  "((" H16 ":){6}" LS32 "|::(" H16 ":){5}" LS32 "|(" H16 ")?::(" H16 ":){4}" LS32 "|((" H16       \
  ":){0,1}" H16 ")?::(" H16 ":){3}" LS32 "|((" H16 ":){0,2}" H16 ")?::(" H16 ":){2}" LS32 "|((" H16 \
  ":){0,3}" H16 ")?::" H16 ":" LS32 "|((" H16 ":){0,4}" H16 ")?::" LS32 "|((" H16 ":){0,5}" H16     \
  ")?::" H16 "|((" H16 ":){0,6}" H16 ")?::)"
#define LABEL "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?"
#define DNS "(" LABEL "\\.)*" LABEL
#define CIDRV4 IPV4 "/([89]|[12][0-9]|3[0-2])"
#define CIDRV6 IPV6 "/([89]|[1-9][0-9]|1[01][0-9]|12[0-8])"
#define VLAN "(409[0-4]|40[0-8][0-9]|[1-3][0-9]{3}|[1-9][0-9]{0,2})"
#define BLANK " \\t\\n\\r\\f\\v"
#define PORT "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"

const std::vector<FormatSpec> kFormats = {
    {"pve-node", "^" LABEL "$", "a node name: letters, digits and inner '-' (e.g. pve-01)", CheckPveNode},
    {"dns-name", "^" DNS "$", "a DNS name: labels of letters, digits and inner '-', joined by '.'",
     CheckDnsName},
    {"address", "^(" IPV4 "|" IPV6 "|" DNS ")$", "an IP address or a DNS name", CheckAddress},
    {"pve-configid", "^[a-zA-Z][a-zA-Z0-9_-]+$",
     "an id of 2 or more letters, digits, '_' or '-', starting with a letter", CheckConfigId},
    {"pve-userid", "^[^\\s:/]+@[a-zA-Z][a-zA-Z0-9._-]+$",
     "a user id name@realm (e.g. alice@pve); the name has no blanks, ':' or '/'", CheckPveUserid},
    {"pve-groupid", "^[a-zA-Z0-9._-]+$", "a group id of letters, digits, '-', '_' or '.' (e.g. admins)",
     CheckPveGroupid},
    {"pve-storage-id", "^[a-zA-Z][a-zA-Z0-9._-]*[a-zA-Z0-9]$",
     "a storage id: letters, digits, '-', '_' or '.', starting with a letter (e.g. ceph-vm)", CheckStorageId},
    {"pve-iface", "^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.][0-9]+)?$",
     "an interface name: a letter, then letters, digits or '_', optionally .VLAN (e.g. vmbr0, bond0.30)",
     CheckIface},
    {"pve-sdn-id", "^[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]$",
     "an SDN id: a letter, then letters or digits (no '-' or '_')", CheckSdnId},
    {"pve-tag", "^[a-zA-Z0-9_][a-zA-Z0-9_+.-]*$", "a tag: letters, digits, '_', '-', '+' or '.'", CheckTag},
    {"mac-addr", "^[a-fA-F0-9][02468aceACE](:[a-fA-F0-9]{2}){5}$",
     "a unicast MAC address (XX:XX:XX:XX:XX:XX, second digit even)", CheckMac},
    {"ipv4", "^" IPV4 "$", "an IPv4 address (e.g. 10.0.0.11)", IsIpv4},
    {"ipv6", "^" IPV6 "$", "an IPv6 address", IsIpv6},
    {"ip", "^(" IPV4 "|" IPV6 ")$", "an IPv4 or IPv6 address", CheckIp},
    {"cidrv4", "^" CIDRV4 "$", "an IPv4 address with a prefix length 8..32 (e.g. 10.0.0.11/24)", CheckCidrV4},
    {"cidrv6", "^" CIDRV6 "$", "an IPv6 address with a prefix length 8..128", CheckCidrV6},
    {"cidr", "^(" CIDRV4 "|" CIDRV6 ")$", "an IPv4 or IPv6 network in CIDR form (e.g. 10.10.10.0/24)",
     CheckCidr},
    {"cidrv4-or-dhcp", "^(dhcp|" CIDRV4 ")$", "`dhcp` or an IPv4 address with prefix (e.g. 10.0.0.5/24)",
     CheckCidrV4OrDhcp},
    {"cidrv6-or-auto", "^(dhcp|auto|" CIDRV6 ")$", "`dhcp`, `auto` or an IPv6 address with prefix",
     CheckCidrV6OrAuto},
    {"ha-sid", "^(vm|ct):[1-9][0-9]{2,8}$", "an HA resource id vm:<vmid> or ct:<vmid> (e.g. vm:100)", CheckHaSid},
    {"https-url", "^https://(" IPV4 "|" DNS "|\\[" IPV6 "\\])(:" PORT ")?(/[^" BLANK "]*)?$",
     "an https:// URL of a host name or address and an optional port (e.g. https://10.0.0.11:8006)",
     CheckUrl},
    {"api-token", "^[^@!:" BLANK "]+@[a-zA-Z0-9._-]+![a-zA-Z][a-zA-Z0-9._-]*$",
     "an API token id user@realm!name (e.g. hainfra@pve!ci)", CheckApiToken},
    {"sha256-fingerprint", "^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$",
     "a SHA-256 fingerprint: 32 hex pairs joined by ':'", CheckFingerprint},
    {"calendar-event", "^[a-zA-Z0-9 :,.*/~+-]+$", "a systemd-like calendar event (e.g. 02:00, sat 03:30, */15)",
     CheckCalendarEvent},
    {"deb-package", "^[a-z0-9][a-z0-9+.-]+$", "a Debian package name (e.g. chrony)", CheckDebPackage},
    {"deb-version", "^([0-9]+:)?[0-9][a-zA-Z0-9.+~]*(-[a-zA-Z0-9.+~-]*[a-zA-Z0-9.+~])?$",
     "a Debian version (e.g. 9.1.1, 1:2.3-4)", CheckDebVersion},
    {"sshd-keyword", "^[a-zA-Z][a-zA-Z0-9]*$", "an sshd_config keyword (e.g. PermitRootLogin)", CheckSshdKeyword},
    {"vlan-range", "^" VLAN "(-" VLAN ")?$", "a VLAN id 1..4094 or a range of them (e.g. 100-200)",
     CheckVlanRange},
    {"email-or-user", "^([^@,;" BLANK "]+|[^@,;" BLANK "]+@[^@,;" BLANK "]+)$", "a mail address or a user name",
     CheckEmailOrUser},
    {"absolute-path", "^/[^\\n\\r]*$", "an absolute path (e.g. /mnt/backup)", CheckAbsolutePath},
    {"mac-prefix", "^[a-fA-F0-9][02468aceACE](:[a-fA-F0-9]{2}){0,2}(:[a-fA-F0-9]?)?$",
     "a unicast MAC address prefix of up to three octets and a half (e.g. BC:24:11:0)", CheckMacPrefix},
    {"email", "^[a-zA-Z0-9_+~-]+(\\.[a-zA-Z0-9_+~-]+)*@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*$",
     "a mail address (e.g. pve@example.com)", CheckEmail},
    {"pve-poolid", "^[a-zA-Z][a-zA-Z0-9._-]*(/[a-zA-Z][a-zA-Z0-9._-]*){0,2}$",
     "a pool id: names of letters, digits, '.', '-' or '_' starting with a letter, up to three joined by '/'",
     CheckPoolId},
    {"pve-role", "^[a-zA-Z0-9._-]+$", "a role id of letters, digits, '.', '-' or '_' (e.g. PVEAuditor)", CheckPveRole},
    {"pve-custom-role", "^(?![Pp][Vv][Ee])(?!Administrator$)(?!NoAccess$)[a-zA-Z0-9._-]+$",
     "a custom role id of letters, digits, '.', '-' or '_'; built-in roles (Administrator, NoAccess, PVE...) are "
     "never managed",
     CheckCustomRole},
    {"pve-acl-path", "^/((access|nodes|pool|sdn|storage|vms|mapping)(/[a-zA-Z0-9._-]+)*)?$",
     "an ACL path: / or below /access, /nodes, /pool, /sdn, /storage, /vms, /mapping (e.g. /vms/100)",
     CheckAclPath},
    {"pve-realm", "^[a-zA-Z][a-zA-Z0-9._-]{1,31}$", "a realm id: a letter, then letters, digits, '.', '-' or '_'",
     CheckRealmId},
    {"tag-color", "^[0-9a-fA-F]{6}(:[0-9a-fA-F]{6})?$", "a hex color RRGGBB, optionally :RRGGBB for the text",
     CheckTagColor},
};

#undef OCTET
#undef IPV4
#undef H16
#undef LS32
#undef IPV6
#undef LABEL
#undef DNS
#undef CIDRV4
#undef CIDRV6
#undef VLAN
#undef BLANK
#undef PORT

}  // namespace

const std::vector<FormatSpec>& Formats() { return kFormats; }

const FormatSpec* FindFormat(std::string_view name) {
  for (const FormatSpec& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    if (!IsOctet(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start))) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool IsIpv6(std::string_view s) {
  const size_t gap = s.find("::");
  if (gap == std::string_view::npos) return CountGroups(s, true) == 8;
  if (s.find("::", gap + 1) != std::string_view::npos) return false;
  const int left = CountGroups(s.substr(0, gap), false);
  const int right = CountGroups(s.substr(gap + 2), true);
  return left >= 0 && right >= 0 && left + right <= 7;
}

bool SplitCidr(std::string_view text, std::string_view& address, int& prefix) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view digits = text.substr(slash + 1);
  if (digits.size() > 1 && digits[0] == '0') return false;
  if (!ParseUnsigned(digits, 128, prefix)) return false;
  address = text.substr(0, slash);
  return true;
}

bool ParseSize(std::string_view text, int64_t& bytes) {
  // ^(\d+(\.\d+)?)([KMGT](iB)?)?$ as in PVE::JSONSchema::parse_size.
  size_t i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == 0) return false;
  if (i < text.size() && text[i] == '.') {
    const size_t frac = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == frac) return false;
  }
  const std::string_view number = text.substr(0, i);
  std::string_view unit = text.substr(i);
  double factor = 1;
  if (!unit.empty()) {
    switch (unit[0]) {
      case 'K': factor = 1024.0; break;
      case 'M': factor = 1024.0 * 1024; break;
      case 'G': factor = 1024.0 * 1024 * 1024; break;
      case 'T': factor = 1024.0 * 1024 * 1024 * 1024; break;
      default: return false;
    }
    unit.remove_prefix(1);
    if (!unit.empty() && unit != "iB") return false;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || ptr != number.data() + number.size()) return false;
  const double total = std::floor(value * factor);
  if (!(total < static_cast<double>(std::numeric_limits<int64_t>::max()))) return false;
  bytes = static_cast<int64_t>(total);
  return true;
}

}  // namespace hainfra::schemas
