// A VM's `ha:` block is shorthand for an `ha.resources` entry: this turns it into that entry
// (ha_resource/vm:<vmid>), so later stages see one form only.
#pragma once

#include <vector>

#include "hainfra/location.h"
#include "hainfra/resource.h"

namespace hainfra::spec {

// Moves every vm body's `ha` into a new ha_resource object placed right after the VM; declaring the same
// sid in both forms is an error.
void ExpandHaShorthand(std::vector<Resource>& objects, Diagnostics& out);

}  // namespace hainfra::spec
