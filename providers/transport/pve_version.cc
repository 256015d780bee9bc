#include "providers/transport/pve_version.h"

#include <charconv>

#include "providers/transport/api_client.h"

namespace hainfra::transport {

Result<PveVersion> ParsePveVersion(const Value& data) {
  if (!data.is_object() || !data.contains("version") || !data["version"].is_string()) {
    return Fail(Code::kInternal, "GET /version: the answer has no version string");
  }
  PveVersion version;
  version.text = data["version"].get<std::string>();
  const char* begin = version.text.data();
  const char* end = begin + version.text.size();
  auto [after_major, major_error] = std::from_chars(begin, end, version.major);
  if (major_error != std::errc() || after_major == end || *after_major != '.') {
    return Fail(Code::kInternal, "GET /version: cannot read the version '" + version.text + "'");
  }
  auto [after_minor, minor_error] = std::from_chars(after_major + 1, end, version.minor);
  if (minor_error != std::errc()) {
    return Fail(Code::kInternal, "GET /version: cannot read the version '" + version.text + "'");
  }
  return version;
}

Result<PveVersion> FetchPveVersion(ApiClient& client) {
  auto data = client.Get("/version");
  if (!data) return Fail(data.error());
  return ParsePveVersion(*data);
}

}  // namespace hainfra::transport
