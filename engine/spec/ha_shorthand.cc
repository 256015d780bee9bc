#include "engine/spec/ha_shorthand.h"

#include <map>

namespace hainfra::spec {

void ExpandHaShorthand(std::vector<Resource>& objects, Diagnostics& out) {
  std::map<std::string, const Resource*> declared;  // sid -> its ha.resources entry
  for (const Resource& r : objects) {
    if (r.address.kind == "ha_resource") declared.emplace(r.address.name, &r);
  }
  std::vector<Resource> result;
  result.reserve(objects.size());
  std::vector<Resource> added;
  for (Resource& r : objects) {
    if ((r.address.kind != "vm" && r.address.kind != "ct") || !r.body.contains("ha")) {
      result.push_back(std::move(r));
      continue;
    }
    const std::string sid = r.address.kind + ":" + r.address.name;
    Resource ha;
    ha.address = Address{"ha_resource", sid};
    ha.where = r.LocationOf("/ha");
    ha.body = std::move(r.body["ha"]);
    r.body.erase("ha");
    ha.body["sid"] = sid;
    ha.absent = ha.body.contains("state") && ha.body["state"] == "absent";
    ha.locations["/sid"] = ha.where;
    for (const auto& [pointer, where] : r.locations) {
      if (pointer.compare(0, 4, "/ha/") == 0) ha.locations[pointer.substr(3)] = where;
    }
    if (auto it = declared.find(sid); it != declared.end()) {
      Diagnostic d;
      d.where = ha.where;
      d.field = r.address.ToString() + "/ha";
      d.message = r.address.ToString() + ": `ha:` and an ha.resources entry (at " +
                  it->second->where.ToString() + ") both declare " + sid + ": keep one of them";
      out.push_back(std::move(d));
      result.push_back(std::move(r));
      continue;
    }
    result.push_back(std::move(r));
    result.push_back(std::move(ha));
  }
  objects = std::move(result);
}

}  // namespace hainfra::spec
