#include "quorum_status.h"

#include <charconv>
#include <sstream>

namespace pvelab {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int LeadingInt(std::string_view s) {
  s = Trim(s);
  int value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

}  // namespace

QuorumStatus ParseQuorumtool(std::string_view output, int exit_code) {
  QuorumStatus status;
  // Exit code 1: the quorum service could not be reached (corosync not running).
  if (exit_code != 0 && exit_code != 2) return status;
  status.corosync_up = true;
  bool in_members = false;
  std::istringstream lines{std::string(output)};
  for (std::string raw; std::getline(lines, raw);) {
    std::string_view line = raw;
    if (in_members) {
      // "         1          1         NR pve-01 (local)": the first column is the node id.
      std::string_view t = Trim(line);
      if (t.empty()) continue;
      if (t.front() >= '0' && t.front() <= '9') status.members.push_back(LeadingInt(t));
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      if (Trim(line).starts_with("Nodeid")) in_members = true;
      continue;
    }
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "Quorate") {
      status.quorate = value == "Yes";
    } else if (key == "Node ID") {
      status.node_id = LeadingInt(value);
    } else if (key == "Ring ID") {
      status.ring_id = std::string(value);
    } else if (key == "Expected votes") {
      status.expected_votes = LeadingInt(value);
    } else if (key == "Total votes") {
      status.total_votes = LeadingInt(value);
    } else if (key == "Quorum") {
      status.quorum = LeadingInt(value);
    }
  }
  return status;
}

}  // namespace pvelab
