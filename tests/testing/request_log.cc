#include "tests/testing/request_log.h"

#include <regex>

namespace hainfra::testing {

std::vector<nlohmann::json> TakeRequests(PvesimClient& client) {
  std::vector<nlohmann::json> out;
  const ApiResult r = client.Control("GET", "/requests?limit=10000");
  const nlohmann::json data = r.data();
  if (data.is_array()) {
    for (const auto& entry : data) out.push_back(entry);
  }
  client.Control("DELETE", "/requests");
  return out;
}

std::vector<size_t> FindRequests(const std::vector<nlohmann::json>& log, const std::string& method,
                                 const std::string& path_regex) {
  const std::regex path_re(path_regex);
  const std::regex method_re(method);
  std::vector<size_t> out;
  for (size_t i = 0; i < log.size(); ++i) {
    if (std::regex_match(log[i].value("method", ""), method_re) &&
        std::regex_match(log[i].value("path", ""), path_re)) {
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace hainfra::testing
