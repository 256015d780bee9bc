#include "providers/pve/corosync_cfgtool.h"

#include <charconv>
#include <sstream>
#include <vector>

namespace hainfra::pve {
namespace {

std::string Trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool ToInt(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

bool CfgtoolStatus::Connected(int link, const std::vector<int>& nodeids) const {
  auto it = links.find(link);
  if (it == links.end()) return false;
  for (int id : nodeids) {
    if (id == local_nodeid) continue;
    auto n = it->second.nodes.find(id);
    if (n == it->second.nodes.end() || n->second != "connected") return false;
  }
  return true;
}

Result<CfgtoolStatus> ParseCfgtoolStatus(std::string_view text) {
  CfgtoolStatus out;
  std::istringstream in{std::string(text)};
  std::string raw;
  CfgtoolLink* link = nullptr;
  int line_no = 0;
  bool header = false;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = Trim(raw);
    auto bad = [&] {
      return Fail(Code::kInvalidArgument, "corosync-cfgtool -s, line " + std::to_string(line_no) + ": unexpected '" +
                                              line + "'");
    };
    if (line.empty() || line.find("# corosync-cfgtool") != std::string::npos || line == "status:") continue;
    if (line.starts_with("Local node ID ")) {
      std::string id = line.substr(14, line.find(',') == std::string::npos ? std::string::npos : line.find(',') - 14);
      if (!ToInt(id, out.local_nodeid)) return bad();
      header = true;
    } else if (line.starts_with("LINK ID ")) {
      std::istringstream words(line.substr(8));
      int id = 0;
      if (!(words >> id)) return bad();
      link = &out.links[id];
    } else if (line.starts_with("addr")) {
      if (link == nullptr || line.find('=') == std::string::npos) return bad();
      link->address = Trim(line.substr(line.find('=') + 1));
    } else if (line.starts_with("nodeid:")) {
      if (link == nullptr) return bad();
      std::string rest = Trim(line.substr(7));
      size_t colon = rest.find(':');
      int id = 0;
      if (colon == std::string::npos || !ToInt(Trim(rest.substr(0, colon)), id)) return bad();
      link->nodes[id] = Trim(rest.substr(colon + 1));
    } else {
      return bad();
    }
  }
  if (!header) return Fail(Code::kInvalidArgument, "corosync-cfgtool -s: no 'Local node ID' line");
  return out;
}

}  // namespace hainfra::pve
