#include "providers/kinds/guest_update.h"

#include <algorithm>

#include "engine/plan/field_diff.h"
#include "providers/kinds/vm_params.h"

namespace hainfra::providers {

std::vector<FieldChange> ConfigFields(const std::vector<FieldChange>& fields) {
  std::vector<FieldChange> out;
  for (const FieldChange& f : fields) {
    const std::string top = vm::TopKey(f.path);
    if (top != "state" && top != "node") out.push_back(f);
  }
  return out;
}

Status KeepOnlyOwnWork(const ResourceKind& kind, const Change& change, const std::string& digest, Value now,
                       const std::set<std::string>& grown, std::vector<FieldChange>& fields) {
  for (const char* key : {"vmid", "node", "state"}) {
    if (change.before.contains(key)) now[key] = change.before[key];
  }
  kind.Normalize(now);
  std::vector<FieldChange> left;
  plan::DiffFields(kind.traits().body, change.after, now, false, left);
  std::string differs;
  for (const FieldChange& f : left) {
    const std::string top = vm::TopKey(f.path);
    const bool grow_only = grown.contains(top) && f.path.ends_with(".size");
    if (top != "state" && top != "node" && !grow_only) differs += (differs.empty() ? "" : ", ") + f.path;
  }
  if (!differs.empty()) {
    return Fail(Code::kFailedPrecondition, change.address.ToString() +
                                               " was changed by someone else since the plan (config digest " +
                                               change.version + " -> " + digest + "; differs now: " + differs +
                                               "); nothing was overwritten: run plan again");
  }
  std::erase_if(fields, [](const FieldChange& f) { return !f.path.ends_with(".size"); });
  return Ok();
}

}  // namespace hainfra::providers
