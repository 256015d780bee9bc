// Comparing the shape of pvesim's answers with real captures: the same keys with the same JSON value types.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim::testing {

// "string", "number", "boolean", "null", "object", "array".
std::string TypeClass(const nlohmann::json& v);

// Differences between a captured object/array (`expected`) and pvesim's (`actual`), descending `depth`
// levels. For arrays of objects, every actual element is checked against the fixture elements that share
// its `group_key` value (e.g. "type" in /cluster/resources): keys present in all of them are required,
// keys present in some are optional; types must match wherever both sides have the key (a fixture null
// matches anything). Keys listed in `may_lack` may be absent from pvesim's answer (state-dependent).
std::vector<std::string> ShapeDiff(const nlohmann::json& expected, const nlohmann::json& actual, int depth = 1,
                                   const std::string& group_key = "", const std::set<std::string>& may_lack = {});

// The "data" of an envelope, or the value itself for payload-only fixtures.
nlohmann::json Payload(const nlohmann::json& fixture);

}  // namespace pvesim::testing
