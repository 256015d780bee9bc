#include "sim/pvesim/management_access.h"

#include <sstream>

namespace pvesim {

bool ManagementLost(const NodeFacts& facts, const std::string& node) {
  const std::string address = facts.Address(node);
  if (address.empty()) return false;
  const auto text = facts.ReadNodeFile(node, "/etc/network/interfaces");
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) return false;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key != "address") continue;
    if (value.substr(0, value.find('/')) == address) return false;
  }
  return true;
}

}  // namespace pvesim
