#include "lab_config.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace pvelab {

using hainfra::Code;
using hainfra::Fail;
using nlohmann::json;

namespace {

hainfra::Result<json> Field(const json& object, const char* key, json::value_t type, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return Fail(Code::kInvalidArgument, where + ": missing field '" + key + "'");
  bool ok = it->type() == type ||
            (type == json::value_t::number_integer && it->type() == json::value_t::number_unsigned);
  if (!ok) return Fail(Code::kInvalidArgument, where + ": field '" + key + "' has the wrong type");
  return *it;
}

}  // namespace

hainfra::Result<LabConfig> ParseLabConfig(const std::string& text, const std::string& path) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Fail(Code::kInvalidArgument, path + ": not JSON: " + e.what());
  }
  if (!doc.is_object()) return Fail(Code::kInvalidArgument, path + ": not a JSON object");
  LabConfig config;
  constexpr auto kString = json::value_t::string;
  constexpr auto kInt = json::value_t::number_integer;
  auto id = Field(doc, "id", kString, path);
  auto dir = Field(doc, "dir", kString, path);
  auto cfs = Field(doc, "cfs", kString, path);
  auto pvelab = Field(doc, "pvelab", kString, path);
  auto lock_timeout = Field(doc, "lock_timeout", kInt, path);
  auto owner_pid = Field(doc, "owner_pid", kInt, path);
  auto owner_start = Field(doc, "owner_start", kInt, path);
  auto nodes = Field(doc, "nodes", json::value_t::array, path);
  for (const auto* r : {&id, &dir, &cfs, &pvelab, &lock_timeout, &owner_pid, &owner_start, &nodes}) {
    if (!r->has_value()) return Fail(r->error());
  }
  config.id = id->get<std::string>();
  config.dir = dir->get<std::string>();
  config.cfs = cfs->get<std::string>();
  config.pvelab = pvelab->get<std::string>();
  config.lock_timeout_s = lock_timeout->get<int>();
  config.owner_pid = owner_pid->get<int>();
  config.owner_start = owner_start->get<long long>();
  int index = 0;
  for (const json& n : *nodes) {
    std::string where = path + ": nodes[" + std::to_string(index++) + "]";
    if (!n.is_object()) return Fail(Code::kInvalidArgument, where + ": not an object");
    auto name = Field(n, "name", kString, where);
    auto nodeid = Field(n, "nodeid", kInt, where);
    auto init_pid = Field(n, "init_pid", kInt, where);
    for (const auto* r : {&name, &nodeid, &init_pid}) {
      if (!r->has_value()) return Fail(r->error());
    }
    config.nodes.push_back(LabNode{name->get<std::string>(), nodeid->get<int>(), init_pid->get<int>()});
  }
  if (config.nodes.empty()) return Fail(Code::kInvalidArgument, path + ": field 'nodes' is empty");
  return config;
}

hainfra::Result<LabConfig> LoadLabConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Code::kNotFound, path + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseLabConfig(text.str(), path);
}

}  // namespace pvelab
