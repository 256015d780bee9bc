#include "sim/pvesim/section_config.h"

#include <openssl/sha.h>

#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

SectionOption Opt(const char* type) { return SectionOption{type, false}; }
SectionOption Req(const char* type) { return SectionOption{type, true}; }

std::string Sha1Hex(const std::string& data) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  std::string out;
  char buf[3];
  for (unsigned char c : md) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

Section* SectionFile::Find(const std::string& id) {
  for (auto& s : sections)
    if (s.id == id) return &s;
  return nullptr;
}

const Section* SectionFile::Find(const std::string& id) const {
  for (const auto& s : sections)
    if (s.id == id) return &s;
  return nullptr;
}

bool SectionFile::Remove(const std::string& id) {
  return std::erase_if(sections, [&](const Section& s) { return s.id == id; }) > 0;
}

namespace {

const SectionOption* OptionOf(const SectionSchema& schema, const std::string& type, const std::string& key) {
  auto t = schema.types.find(type);
  if (t == schema.types.end()) return nullptr;
  auto o = t->second.find(key);
  return o == t->second.end() ? nullptr : &o->second;
}

json Typed(const SectionOption* opt, const std::string& value) {
  if (!opt) return value;
  try {
    if (opt->type == "boolean") {
      auto b = ParseBoolean(value);
      return b ? json(*b ? 1 : 0) : json(value);
    }
    if (opt->type == "integer") {
      size_t used = 0;
      long long n = std::stoll(value, &used);
      return used == value.size() ? json(n) : json(value);
    }
    if (opt->type == "number") {
      size_t used = 0;
      double d = std::stod(value, &used);
      if (used != value.size()) return value;
      if (d == static_cast<double>(static_cast<long long>(d))) return json(static_cast<long long>(d));
      return json(d);
    }
  } catch (...) {
  }
  return value;
}

}  // namespace

SectionFile ParseSectionConfig(const std::string& raw, const SectionSchema& schema) {
  SectionFile file;
  file.digest = Sha1Hex(raw);
  std::vector<std::string> lines;
  {
    std::istringstream in(raw);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  static const std::regex header("^(\\S+):\\s*(\\S+)\\s*$");
  static const std::regex option("^\\s+(\\S+)(\\s+(.*\\S))?\\s*$");
  size_t i = 0;
  auto next = [&](std::string& out) {
    while (i < lines.size()) {
      std::string l = lines[i++];
      size_t first = l.find_first_not_of(" \t");
      if (first == std::string::npos || l[first] != '#') { out = l; return true; }
    }
    return false;
  };
  std::string line;
  while (next(line)) {
    if (line.empty()) continue;
    std::smatch m;
    if (!std::regex_match(line, m, header)) continue;
    Section s{m[1], m[2], json::object()};
    while (next(line) && !line.empty()) {
      std::smatch o;
      if (!std::regex_match(line, o, option)) continue;
      std::string key = o[1];
      const SectionOption* opt = OptionOf(schema, s.type, key);
      if (!o[3].matched) {
        if (opt && opt->type == "boolean") s.values[key] = 1;
        continue;
      }
      if (opt && opt->type == "array") {
        s.values[key].push_back(o[3].str());
      } else {
        s.values[key] = Typed(opt, o[3]);
      }
    }
    file.sections.push_back(std::move(s));
  }
  return file;
}

std::string WriteSectionConfig(const SectionFile& file, const SectionSchema& schema) {
  std::string out;
  for (const auto& s : file.sections) {
    std::string data = s.type + ": " + s.id + "\n";
    std::set<std::string> done = {"type"};
    auto line = [&](const std::string& key) {
      if (done.contains(key) || !s.values.contains(key) || s.values[key].is_null()) return;
      done.insert(key);
      const json& v = s.values[key];
      const SectionOption* opt = OptionOf(schema, s.type, key);
      if (opt && opt->type == "boolean") {
        data += "\t" + key + " " + (ParseBoolean(ScalarText(v)).value_or(false) ? "1" : "0") + "\n";
      } else if (v.is_array()) {
        for (const auto& item : v) data += "\t" + key + " " + ScalarText(item) + "\n";
      } else {
        std::string text = ScalarText(v);
        if (!text.empty()) data += "\t" + key + " " + text + "\n";
      }
    };
    line("comment");
    if (s.values.contains("disable") && ParseBoolean(ScalarText(s.values["disable"])).value_or(false)) data += "\tdisable\n";
    done.insert("disable");
    auto t = schema.types.find(s.type);
    if (t != schema.types.end()) {
      for (const auto& [key, opt] : t->second)
        if (opt.required) line(key);
    }
    for (auto it = s.values.begin(); it != s.values.end(); ++it) line(it.key());
    out += data + "\n";
  }
  return out;
}

}  // namespace pvesim
