// Resources as the engine sees them: an address, a body in the shape of the spec, and where it came from.
#pragma once

#include <compare>
#include <map>
#include <string>
#include <vector>

#include "hainfra/location.h"
#include "hainfra/value.h"

namespace hainfra {

// `kind/name`, e.g. `vm/100`, `node/pve-01`, `ha_rule/k8s-spread`.
struct Address {
  std::string kind;
  std::string name;

  std::string ToString() const { return kind + "/" + name; }
  auto operator<=>(const Address&) const = default;
};

// Parses "kind/name"; nullopt when there is no slash or either side is empty.
std::optional<Address> ParseAddress(std::string_view text);

// A desired object, from the YAML.
struct Resource {
  Address address;
  Value body;         // only the keys the user wrote (plus derived keys a kind adds)
  bool absent = false;  // `state: absent`: the user asks for its deletion
  Location where;     // the object itself
  std::map<std::string, Location> locations;  // JSON pointer ("/disks/0/size") -> where written

  // Location of a field by JSON pointer, falling back to the object's own location.
  const Location& LocationOf(const std::string& pointer) const;
};

// An object as it exists in the cluster, translated into the spec's shape by its kind.
struct Observed {
  Address address;
  Value body;
  std::string version;  // Proxmox `digest`, or a fingerprint of the body, for stale-plan detection
  bool owned = false;   // carries hainfra's ownership marker (e.g. the `hainfra` tag on a guest)
};

}  // namespace hainfra
