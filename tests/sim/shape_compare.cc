#include "tests/sim/shape_compare.h"

#include <map>

namespace pvesim::testing {

using json = nlohmann::json;

std::string TypeClass(const json& v) {
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "boolean";
  if (v.is_null()) return "null";
  if (v.is_object()) return "object";
  return "array";
}

json Payload(const json& fixture) {
  if (fixture.is_object() && fixture.contains("data") && fixture.size() <= 2) return fixture["data"];
  return fixture;
}

namespace {

void CompareObject(const std::vector<json>& fixtures, const json& actual, int depth, const std::set<std::string>& may_lack,
                   const std::string& where, std::vector<std::string>& out) {
  std::map<std::string, int> seen;
  std::map<std::string, std::set<std::string>> types;
  std::map<std::string, std::vector<json>> nested;
  for (const auto& f : fixtures) {
    for (const auto& [k, v] : f.items()) {
      ++seen[k];
      if (!v.is_null()) types[k].insert(TypeClass(v));
      if (v.is_object() || v.is_array()) nested[k].push_back(v);
    }
  }
  for (const auto& [k, count] : seen) {
    bool required = count == static_cast<int>(fixtures.size());
    if (!actual.contains(k)) {
      if (required && !may_lack.contains(k)) out.push_back(where + ": missing key '" + k + "'");
      continue;
    }
    const json& v = actual[k];
    if (!v.is_null() && !types[k].empty() && !types[k].contains(TypeClass(v)))
      out.push_back(where + "." + k + ": " + TypeClass(v) + " where the capture has " + *types[k].begin());
    if (depth > 0 && v.is_object() && !nested[k].empty() && nested[k][0].is_object()) {
      std::vector<json> objs;
      for (const auto& n : nested[k])
        if (n.is_object()) objs.push_back(n);
      CompareObject(objs, v, depth - 1, may_lack, where + "." + k, out);
    }
  }
}

}  // namespace

std::vector<std::string> ShapeDiff(const json& expected, const json& actual, int depth, const std::string& group_key,
                                   const std::set<std::string>& may_lack) {
  std::vector<std::string> out;
  if (TypeClass(expected) != TypeClass(actual)) {
    out.push_back("top level: " + TypeClass(actual) + " where the capture has " + TypeClass(expected));
    return out;
  }
  if (expected.is_object()) {
    CompareObject({expected}, actual, depth, may_lack, "$", out);
    return out;
  }
  if (!expected.is_array()) return out;
  if (actual.empty()) {
    out.push_back("pvesim answered an empty list");
    return out;
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    const json& a = actual[i];
    if (!a.is_object()) continue;
    std::vector<json> peers;
    for (const auto& e : expected) {
      if (!e.is_object()) continue;
      if (!group_key.empty() && e.value(group_key, json()) != a.value(group_key, json())) continue;
      peers.push_back(e);
    }
    if (peers.empty()) continue;  // a kind of entry the capture does not show
    CompareObject(peers, a, depth, may_lack, "[" + std::to_string(i) + "]", out);
  }
  return out;
}

}  // namespace pvesim::testing
