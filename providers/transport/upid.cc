#include "providers/transport/upid.h"

#include <cctype>
#include <charconv>
#include <vector>

namespace hainfra::transport {

namespace {

bool IsNodeName(std::string_view s) {
  if (s.empty()) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

bool ParseHex(std::string_view s, size_t min_digits, size_t max_digits, uint64_t& out) {
  if (s.size() < min_digits || s.size() > max_digits) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc() && end == s.data() + s.size();
}

// `[^:\s]` in the Perl pattern: no whitespace (colons cannot occur after the split).
bool NoSpace(std::string_view s) {
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<Upid> ParseUpid(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Fail(Code::kInvalidArgument, "not a Proxmox task id (UPID): '" + std::string(text) + "': " +
                                            std::string(why));
  };
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) {
      parts.push_back(text.substr(start));
      break;
    }
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  // "UPID", node, pid, pstart, starttime, type, id, user, "" (the trailing colon).
  if (parts.size() != 9 || parts[0] != "UPID" || !parts[8].empty()) {
    return bad("expected UPID:node:pid:pstart:starttime:type:id:user:");
  }
  Upid upid;
  upid.text = std::string(text);
  if (!IsNodeName(parts[1])) return bad("invalid node name");
  upid.node = std::string(parts[1]);
  uint64_t pid = 0, pstart = 0, starttime = 0;
  if (!ParseHex(parts[2], 8, 8, pid)) return bad("pid must be 8 hex digits");
  if (!ParseHex(parts[3], 8, 9, pstart)) return bad("pstart must be 8 or 9 hex digits");
  if (!ParseHex(parts[4], 8, 8, starttime)) return bad("starttime must be 8 hex digits");
  upid.pid = static_cast<uint32_t>(pid);
  upid.pstart = pstart;
  upid.starttime = static_cast<int64_t>(starttime);
  if (parts[5].empty() || !NoSpace(parts[5])) return bad("invalid task type");
  if (!NoSpace(parts[6])) return bad("invalid task id");
  if (parts[7].empty() || !NoSpace(parts[7])) return bad("invalid user");
  upid.type = std::string(parts[5]);
  upid.id = std::string(parts[6]);
  upid.user = std::string(parts[7]);
  return upid;
}

}  // namespace hainfra::transport
