#include "sim/pvesim/guest_config.h"

#include <regex>
#include <set>
#include <sstream>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"
#include "sim/pvesim/section_config.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

const std::set<std::string>& BooleanKeys() {
  static const std::set<std::string> keys = {"acpi", "allow-ksm", "autostart", "ciupgrade", "freeze", "keephugepages",
                                             "kvm", "localtime", "numa", "onboot", "protection", "reboot",
                                             "tablet", "tdf", "template"};
  return keys;
}

const std::set<std::string>& IntegerKeys() {
  static const std::set<std::string> keys = {"balloon", "cores", "cpuunits", "migrate_speed", "shares",
                                             "smp", "sockets", "vcpus", "snaptime"};
  return keys;
}

}  // namespace

std::string EncodeText(const std::string& text) {
  std::string out;
  char buf[4];
  for (unsigned char c : text) {
    // Escaped: control and high-bit bytes, '%' (0x25) and ':' (0x3a).
    if (c < 0x20 || c > 0x7e || c == 0x25 || c == 0x3a) {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string DecodeText(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

// qemu-server's m/^([a-z][a-z_\-]*\d*):\s*(.+?)\s*$/ (and, for description, m/^(description):\s*(.*\S)\s*$/)
// by hand: std::regex per line is what made listing thousands of guests slow.
std::optional<std::pair<std::string, std::string>> SplitKeyValueLine(const std::string& line) {
  auto is_space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v'; };
  size_t i = 0;
  if (i >= line.size() || line[i] < 'a' || line[i] > 'z') return std::nullopt;
  ++i;
  while (i < line.size() && ((line[i] >= 'a' && line[i] <= 'z') || line[i] == '_' || line[i] == '-')) ++i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  std::string key = line.substr(0, i);
  size_t start = i + 1;
  while (start < line.size() && is_space(line[start])) ++start;
  size_t end = line.size();
  while (end > start && is_space(line[end - 1])) --end;
  if (end <= start) return std::nullopt;
  return std::make_pair(std::move(key), line.substr(start, end - start));
}

}  // namespace

GuestConfig ParseGuestConfig(const std::string& raw) {
  GuestConfig res;
  res.digest = Sha1Hex(raw);
  static const std::regex pending_re("^\\[PENDING\\]\\s*$", std::regex::icase);
  static const std::regex special_re("^\\[special:[^\\]]*\\]\\s*$", std::regex::icase);
  static const std::regex snap_re("^\\[([a-z][a-z0-9_\\-]+)\\]\\s*$", std::regex::icase);
  static const std::regex other_re("^\\[([^\\]]*)\\]\\s*$");
  ConfigMap* conf = &res.main;
  std::optional<std::string> descr;
  auto finish_description = [&]() {
    if (descr) {
      std::string d = *descr;
      while (!d.empty() && std::isspace(static_cast<unsigned char>(d.back()))) d.pop_back();
      (*conf)["description"] = d;
    }
    descr.reset();
  };
  std::istringstream in(raw);
  ConfigMap ignored;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::smatch m;
    if (line[0] == '[' && std::regex_match(line, pending_re)) {
      finish_description();
      conf = &res.pending;
      continue;
    }
    if (line[0] == '[' && std::regex_match(line, special_re)) {
      finish_description();
      conf = &ignored;  // special sections (cloudinit, fleecing) are not simulated
      continue;
    }
    if (line[0] == '[' && std::regex_match(line, m, snap_re)) {
      finish_description();
      conf = &res.snapshots[m[1]];
      continue;
    }
    if (line[0] == '[' && std::regex_match(line, other_re)) {
      finish_description();
      conf = &ignored;
      continue;
    }
    if (line[0] == '#') {
      if (!descr) descr = "";
      *descr += DecodeText(line.substr(1)) + "\n";
      continue;
    }
    auto kv = SplitKeyValueLine(line);
    if (!kv) continue;
    if (kv->first == "description") {
      if (!descr) descr = "";
      *descr += DecodeText(kv->second);
    } else {
      std::string key = kv->first, value = kv->second;
      if (key == "cdrom") key = "ide2";
      if (BooleanKeys().contains(key)) {
        if (auto b = ParseBoolean(value)) value = *b ? "1" : "0";
      }
      (*conf)[key] = value;
    }
  }
  finish_description();
  return res;
}

namespace {

std::string RawSection(const ConfigMap& conf, bool pending) {
  std::string raw;
  auto d = conf.find("description");
  if (d != conf.end()) {
    if (!d->second.empty()) {
      std::istringstream in(d->second);
      for (std::string line; std::getline(in, line);) raw += "#" + EncodeText(line) + "\n";
    } else if (pending) {
      raw += "#\n";
    }
  }
  for (const auto& [key, value] : conf) {
    if (key == "digest" || key == "description") continue;
    raw += key + ": " + value + "\n";
  }
  return raw;
}

}  // namespace

std::string WriteGuestConfig(const GuestConfig& conf) {
  std::string raw = RawSection(conf.main, false);
  if (!conf.pending.empty()) raw += "\n[PENDING]\n" + RawSection(conf.pending, true);
  for (const auto& [name, snap] : conf.snapshots) raw += "\n[" + name + "]\n" + RawSection(snap, false);
  return raw;
}

json TypedConfigValue(const std::string& key, const std::string& value) {
  if (BooleanKeys().contains(key) || IntegerKeys().contains(key)) {
    try {
      size_t used = 0;
      long long n = std::stoll(value, &used);
      if (used == value.size()) return n;
    } catch (...) {
    }
  }
  return value;
}

std::map<std::string, bool> ParsePendingDelete(const std::string& text) {
  std::map<std::string, bool> out;
  for (const auto& entry : SplitList(text)) {
    if (entry[0] == '!') out[entry.substr(1)] = true; else out[entry] = false;
  }
  return out;
}

std::string PrintPendingDelete(const std::map<std::string, bool>& deletions) {
  std::string out;
  for (const auto& [key, force] : deletions) {
    if (!out.empty()) out += ',';
    out += (force ? "!" : "") + key;
  }
  return out;
}

json ConfigJson(const GuestConfig& conf, bool current) {
  ConfigMap merged = conf.main;
  if (!current) {
    for (const auto& [k, v] : conf.pending)
      if (k != "delete") merged[k] = v;
    auto pd = conf.pending.find("delete");
    if (pd != conf.pending.end())
      for (const auto& [k, force] : ParsePendingDelete(pd->second)) {
        // load_current_config: `delete $conf->{$opt} if $conf->{$opt}` — a false value ("0", "") stays.
        auto it = merged.find(k);
        if (it != merged.end() && !it->second.empty() && it->second != "0") merged.erase(it);
      }
  }
  json out = json::object();
  for (const auto& [k, v] : merged) out[k] = k == "cipassword" ? json("**********") : TypedConfigValue(k, v);
  out["digest"] = conf.digest;
  return out;
}

}  // namespace pvesim
