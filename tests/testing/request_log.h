// Reading pvesim's request log in tests: which API requests a command made, in order.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/testing/pvesim_client.h"

namespace hainfra::testing {

// The logged requests (oldest first, at most 10,000) and clears the log, so the next read starts fresh.
std::vector<nlohmann::json> TakeRequests(PvesimClient& client);

// Positions in `log` of requests whose method and path match the regexes (ECMAScript, whole text).
std::vector<size_t> FindRequests(const std::vector<nlohmann::json>& log, const std::string& method_regex,
                                 const std::string& path_regex);

}  // namespace hainfra::testing
