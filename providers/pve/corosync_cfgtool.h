// `corosync-cfgtool -s` output: which link sees which node connected, as every node's corosync reports
// it — what hainfra waits for after a link change.
#pragma once

#include <map>
#include <vector>
#include <string>
#include <string_view>

#include "hainfra/result.h"

namespace hainfra::pve {

struct CfgtoolLink {
  std::string address;                  // this node's address on the link
  std::map<int, std::string> nodes;     // nodeid -> "localhost", "connected", "disconnected", ...
};

struct CfgtoolStatus {
  int local_nodeid = 0;
  std::map<int, CfgtoolLink> links;     // link id -> its state

  // True when `link` exists and every nodeid in `nodeids` other than the local one is "connected".
  bool Connected(int link, const std::vector<int>& nodeids) const;
};

// Parses `corosync-cfgtool -s` (a leading "root@x:~# corosync-cfgtool -s" prompt line is ignored).
Result<CfgtoolStatus> ParseCfgtoolStatus(std::string_view text);

}  // namespace hainfra::pve
