// Proxmox task ids (UPIDs), parsed as pve-common's PVE::Tools::upid_decode does:
// `UPID:$node:$pid:$pstart:$starttime:$type:$id:$user:` with hex pid/pstart/starttime.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hainfra/result.h"

namespace hainfra::transport {

struct Upid {
  std::string text;  // the whole UPID, as Proxmox returned it
  std::string node;  // where the task runs: its status lives under /nodes/{node}/tasks
  uint32_t pid = 0;
  uint64_t pstart = 0;
  int64_t starttime = 0;
  std::string type;  // qmcreate, qmstart, vzdump, …
  std::string id;    // usually the vmid; may be empty
  std::string user;  // root@pam, hainfra@pve!ci
};

// Parses a UPID; anything that is not exactly the format above is kInvalidArgument quoting the text.
Result<Upid> ParseUpid(std::string_view text);

}  // namespace hainfra::transport
