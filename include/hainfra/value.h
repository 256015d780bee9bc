// The structured value of a resource body: a JSON tree in the shape of the spec.
// Kinds translate Proxmox's property strings into this shape and back; the engine only sees trees.
#pragma once

#include <nlohmann/json.hpp>

namespace hainfra {

using Value = nlohmann::json;

}  // namespace hainfra
