// Request parameters for POST /nodes/{node}/qemu (create) and POST .../config (update) from a desired body,
// and the per-disk follow-up work (resizes) an update needs. Pure: no I/O, secrets already resolved.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::providers::vm {

struct Resize {
  std::string slot;
  std::string size;  // absolute, e.g. "64G"
};

struct ConfigWork {
  Value params = Value::object();  // keys to set
  std::vector<std::string> deletes;  // keys to remove (`delete=`): NICs, detached disks, ipconfigs
  std::vector<Resize> resizes;
  bool Empty() const { return params.empty() && deletes.empty(); }
};

// Every key of a new guest (tags with the owner tag, disks as STORAGE:SIZE_GiB, a cloud-init drive).
// `password` is the resolved cloud-init password (empty: none).
Result<Value> CreateParams(const Value& desired, const std::string& password);

// The config keys an update writes for the planned field changes: only the keys that differ, existing
// disks and NICs rewritten over their current value (`config`, Proxmox's key -> value map) so their
// volume, MAC and unmanaged options stay; a slot not listed any more is removed (a disk then stays as
// unusedN). Disk growth becomes a Resize. State and node are not config (the caller handles them).
Result<ConfigWork> UpdateWork(const Value& desired, const std::vector<FieldChange>& fields, const Value& config,
                              const std::string& password);

// Tags as written: the spec's plus hainfra's owner tag, sorted, `;`-separated.
std::string TagsParam(const Value& tags);

// The top-level key of a field path ("disks[scsi0].size" -> "disks").
std::string TopKey(const std::string& path);
// The entry key of a field path ("disks[scsi0].size" -> "scsi0"; "" when none).
std::string EntryKey(const std::string& path);

}  // namespace hainfra::providers::vm
