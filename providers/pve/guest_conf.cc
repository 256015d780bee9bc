#include "providers/pve/guest_conf.h"

#include <openssl/sha.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>

namespace hainfra::pve {
namespace {

bool GuestConfIsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n'; }

std::string_view GuestConfTrim(std::string_view s) {
  while (!s.empty() && GuestConfIsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && GuestConfIsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string GuestConfLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The schema types check_type knows the keys by: booleans are normalised to 0/1 when read, booleans and
// integers are numbers in the API's answer.
const std::set<std::string, std::less<>>& BooleanKeysOf(GuestType type) {
  static const std::set<std::string, std::less<>> qemu = {
      "acpi",  "allow-ksm", "autostart", "ciupgrade", "freeze", "keephugepages", "kvm", "localtime",
      "numa",  "onboot",    "protection", "reboot",   "tablet", "tdf",           "template"};
  static const std::set<std::string, std::less<>> lxc = {"onboot",   "protection", "unprivileged",
                                                         "template", "console",    "debug"};
  return type == GuestType::kQemu ? qemu : lxc;
}

const std::set<std::string, std::less<>>& IntegerKeysOf(GuestType type) {
  static const std::set<std::string, std::less<>> qemu = {"balloon", "cores", "cpuunits", "migrate_speed", "shares",
                                                          "smp",     "sockets", "vcpus",  "snaptime"};
  static const std::set<std::string, std::less<>> lxc = {"cores", "cpuunits", "memory", "swap", "tty", "snaptime"};
  return type == GuestType::kQemu ? qemu : lxc;
}

std::optional<bool> GuestConfBoolean(std::string_view v) {
  const std::string l = GuestConfLower(v);
  if (l == "1" || l == "on" || l == "yes" || l == "true") return true;
  if (l == "0" || l == "off" || l == "no" || l == "false") return false;
  return std::nullopt;
}

// qemu-server's m/^([a-z][a-z_\-]*\d*):\s*(.+?)\s*$/.
std::optional<std::pair<std::string_view, std::string_view>> GuestConfKeyValue(std::string_view line) {
  size_t i = 0;
  if (line.empty() || line[0] < 'a' || line[0] > 'z') return std::nullopt;
  ++i;
  while (i < line.size() && ((line[i] >= 'a' && line[i] <= 'z') || line[i] == '_' || line[i] == '-')) ++i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  std::string_view value = GuestConfTrim(line.substr(i + 1));
  if (value.empty()) return std::nullopt;
  return std::make_pair(line.substr(0, i), value);
}

// pve-container's m/^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$/.
std::optional<std::pair<std::string_view, std::string_view>> GuestConfLxcKey(std::string_view line) {
  if (!line.starts_with("lxc.")) return std::nullopt;
  size_t i = 4;
  auto key_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  };
  while (i < line.size() && key_char(line[i])) ++i;
  if (i == 4) return std::nullopt;
  std::string_view key = line.substr(0, i);
  size_t j = i;
  if (j < line.size() && line[j] == ':') {
    ++j;
  } else {
    while (j < line.size() && GuestConfIsSpace(line[j])) ++j;
    if (j >= line.size() || line[j] != '=') return std::nullopt;
    ++j;
  }
  return std::make_pair(key, GuestConfTrim(line.substr(j)));
}

// A section header: `[PENDING]`, `[special:…]`, `[snapshot-name]`, anything else in brackets.
enum class HeaderKind { kNone, kPending, kSpecial, kSnapshot, kUnknown };

HeaderKind GuestConfHeader(std::string_view line, std::string& name) {
  std::string_view t = line;
  while (!t.empty() && GuestConfIsSpace(t.back())) t.remove_suffix(1);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']') return HeaderKind::kNone;
  std::string_view inner = t.substr(1, t.size() - 2);
  if (inner.find(']') != std::string_view::npos) return HeaderKind::kNone;
  const std::string lower = GuestConfLower(inner);
  if (lower == "pending") return HeaderKind::kPending;
  if (lower.starts_with("special:")) return HeaderKind::kSpecial;
  bool snapshot = inner.size() >= 2 && std::isalpha(static_cast<unsigned char>(inner[0])) != 0;
  for (size_t i = 1; snapshot && i < inner.size(); ++i) {
    const char c = inner[i];
    snapshot = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  }
  if (!snapshot) return HeaderKind::kUnknown;
  name = std::string(inner);
  return HeaderKind::kSnapshot;
}

Value TypedConfValue(GuestType type, const std::string& key, const std::string& value) {
  if (BooleanKeysOf(type).contains(key) || IntegerKeysOf(type).contains(key)) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc() && end == value.data() + value.size()) return n;
  }
  if (type == GuestType::kLxc && key == "cpulimit") {
    double d = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
    if (ec == std::errc() && end == value.data() + value.size()) {
      if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
      return d;
    }
  }
  return value;
}

// Perl truthiness of a config value: "" and "0" are false.
bool GuestConfTruthy(const std::string& v) { return !v.empty() && v != "0"; }

}  // namespace

std::string Sha1Hex(std::string_view bytes) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  std::string out;
  out.reserve(2 * SHA_DIGEST_LENGTH);
  char buf[3];
  for (unsigned char b : digest) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

std::string DecodeConfText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      unsigned value = 0;
      (void)std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

GuestConf ParseGuestConf(std::string_view text, GuestType type) {
  GuestConf res;
  res.digest = Sha1Hex(text);
  ConfSection ignored;
  ConfSection* conf = &res.main;
  bool in_main = true;
  bool skipping = false;  // an unknown section: its lines are skipped
  std::optional<std::string> descr;
  auto finish_description = [&]() {
    if (descr) {
      std::string_view d = *descr;
      while (!d.empty() && GuestConfIsSpace(d.back())) d.remove_suffix(1);
      (*conf)["description"] = std::string(d);
    }
    descr.reset();
  };
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (GuestConfTrim(line).empty()) continue;
    if (line.front() == '[') {
      std::string name;
      const HeaderKind header = GuestConfHeader(line, name);
      if (header != HeaderKind::kNone) {
        finish_description();
        in_main = false;
        skipping = false;
        if (header == HeaderKind::kPending) {
          conf = &res.pending;
        } else if (header == HeaderKind::kSnapshot) {
          conf = &res.snapshots[name];
        } else if (header == HeaderKind::kSpecial) {
          conf = &ignored;  // cloud-init and fleecing state: not part of the config GET answers
        } else {
          skipping = true;
        }
        continue;
      }
    }
    if (skipping) continue;
    if (line.front() == '#') {
      if (!descr) descr = "";
      *descr += DecodeConfText(line.substr(1));
      *descr += '\n';
      continue;
    }
    if (type == GuestType::kLxc) {
      if (auto raw = GuestConfLxcKey(line)) {
        if (in_main) res.lxc.emplace_back(std::string(raw->first), std::string(raw->second));
        continue;
      }
    }
    auto kv = GuestConfKeyValue(line);
    if (!kv) continue;  // qemu-server warns "unable to parse config" and goes on
    std::string key(kv->first);
    std::string value(kv->second);
    if (key == "description") {
      if (!descr) descr = "";
      *descr += DecodeConfText(value);
      continue;
    }
    if (key == "delete" && conf != &res.pending) continue;  // only allowed in [PENDING]
    if (type == GuestType::kQemu && key == "cdrom") key = "ide2";
    if (BooleanKeysOf(type).contains(key)) {
      if (auto b = GuestConfBoolean(value)) value = *b ? "1" : "0";
    }
    (*conf)[key] = std::move(value);
  }
  finish_description();
  return res;
}

Value GuestConfigAnswer(const GuestConf& conf, GuestType type, bool current) {
  ConfSection merged = conf.main;
  if (!current) {
    for (const auto& [key, value] : conf.pending) {
      if (key != "delete") merged[key] = value;
    }
    auto deletions = conf.pending.find("delete");
    if (deletions != conf.pending.end()) {
      // parse_pending_delete: `,`/`;`/space separated, `!` marks a forced deletion.
      std::string item;
      auto flush = [&]() {
        std::string_view key = item;
        if (!key.empty() && key.front() == '!') key.remove_prefix(1);
        // load_current_config: `delete $conf->{$opt} if $conf->{$opt}` (a false value stays).
        auto it = merged.find(std::string(key));
        if (it != merged.end() && GuestConfTruthy(it->second)) merged.erase(it);
        item.clear();
      };
      for (char c : deletions->second) {
        if (c == ',' || c == ';' || GuestConfIsSpace(c)) {
          if (!item.empty()) flush();
        } else {
          item += c;
        }
      }
      if (!item.empty()) flush();
    }
  }
  Value out = Value::object();
  for (const auto& [key, value] : merged) {
    if (type == GuestType::kQemu && key == "cipassword" && GuestConfTruthy(value)) {
      out[key] = "**********";
    } else {
      out[key] = TypedConfValue(type, key, value);
    }
  }
  if (type == GuestType::kLxc && !conf.lxc.empty()) {
    Value raw = Value::array();
    for (const auto& [key, value] : conf.lxc) raw.push_back(Value::array({key, value}));
    out["lxc"] = std::move(raw);
  }
  out["digest"] = conf.digest;
  return out;
}

}  // namespace hainfra::pve
