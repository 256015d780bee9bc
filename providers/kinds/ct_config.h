// Translation of a pve-container config (GET /nodes/{node}/lxc/{vmid}/config) into the spec's `containers`
// shape, and of a desired body back into request parameters (create, update, resizes). Pure: no I/O,
// secrets already resolved. Shares the VM kind's spellings (tags, startup, sizes, config text).
#pragma once

#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::providers::ct {

// The spec-shaped body: hostname, cores, memory, rootfs, mount_points by slot, nets by name, features ...
// with pve-container's defaults filled in for the keys it leaves out (so a written default is no diff).
Result<Value> ConfigToBody(const Value& config);

struct Resize {
  std::string disk;  // rootfs, mpN
  std::string size;  // absolute, e.g. "12288M"
};

struct ConfigWork {
  Value params = Value::object();
  std::vector<std::string> deletes;  // removed mount points (kept as unusedN) and NICs
  std::vector<Resize> resizes;
  bool Empty() const { return params.empty() && deletes.empty(); }
};

// Every parameter of POST /nodes/{node}/lxc for a new container (tags with the owner tag, volumes as
// STORAGE:SIZE_GiB, NICs net0.. in the order written). `password` is the resolved root password ("": none).
Result<Value> CreateParams(const Value& desired, const std::string& password);

// The keys an update writes for the planned field changes, over their current values in `config` (volume,
// MAC and unmanaged options stay); a mount point or NIC left out is removed (a volume then stays as
// unusedN); volume growth becomes a Resize. State and node are not config (the caller handles them).
Result<ConfigWork> UpdateWork(const Value& desired, const std::vector<FieldChange>& fields, const Value& config);

}  // namespace hainfra::providers::ct
