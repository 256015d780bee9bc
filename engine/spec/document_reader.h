// Turns the tree of one spec file into desired resources, section by section (schemas/sections.h):
// `vms:` entries become vm/<vmid>, `ha: {rules: ...}` entries ha_rule/<name>, `cluster:` cluster/<name>.
#pragma once

#include <string>
#include <vector>

#include "engine/spec/yaml_tree.h"
#include "hainfra/location.h"
#include "hainfra/resource.h"

namespace hainfra::spec {

// Appends the file's objects to `objects` (file order) and its problems to `out`.
void ReadDocument(const YamlNode& root, const std::string& file, std::vector<Resource>& objects,
                  Diagnostics& out);

}  // namespace hainfra::spec
