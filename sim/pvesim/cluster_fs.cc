#include "sim/pvesim/cluster_fs.h"

#include <unistd.h>

namespace pvesim {

std::string NormalizeCfsPath(std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

std::unexpected<ApiError> NoQuorumWriteError(const std::string& path) {
  // PVE::Tools::file_set_contents writes "<file>.tmp.<pid>" first; pmxcfs refuses the open with EACCES.
  return Die("unable to open file '/etc/pve/" + path + ".tmp." + std::to_string(::getpid()) + "' - Permission denied");
}

}  // namespace pvesim
