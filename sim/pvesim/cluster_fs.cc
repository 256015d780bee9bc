#include "sim/pvesim/cluster_fs.h"

#include <unistd.h>

namespace pvesim {

std::unexpected<ApiError> NoQuorumWriteError(const std::string& path) {
  // PVE::Tools::file_set_contents writes "<file>.tmp.<pid>" first; pmxcfs refuses the open with EACCES.
  return Die("unable to open file '/etc/pve/" + path + ".tmp." + std::to_string(::getpid()) + "' - Permission denied");
}

}  // namespace pvesim
