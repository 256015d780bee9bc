#include "sim/pvesim/management_access.h"

#include <sstream>

namespace pvesim {
namespace {

constexpr const char* kMarker = "/run/pvesim-management-lost";

bool CarriesAddress(const std::string& text, const std::string& address) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key == "address" && value.substr(0, value.find('/')) == address) return true;
  }
  return false;
}

}  // namespace

void NoteNetworkReload(NodeFacts& facts, const std::string& node, const std::string& before,
                       const std::string& after) {
  const std::string address = facts.Address(node);
  if (address.empty()) return;
  if (CarriesAddress(before, address) && !CarriesAddress(after, address)) {
    (void)facts.WriteNodeFile(node, kMarker, "1\n");
  }
}

bool ManagementLost(const NodeFacts& facts, const std::string& node) {
  if (!facts.ReadNodeFile(node, kMarker)) return false;
  const auto text = facts.ReadNodeFile(node, "/etc/network/interfaces");
  return !text || !CarriesAddress(*text, facts.Address(node));
}

}  // namespace pvesim
