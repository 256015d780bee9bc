// The loaded spec: every object the user declared, keyed by address, with its source locations.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hainfra/resource.h"

namespace hainfra {

struct Spec {
  std::vector<Resource> objects;  // in file order; addresses use the spec's kinds (`vm/100`, `node/pve-01`)
  std::vector<std::string> files; // every file that was read, in order
  std::string hash;               // SHA-256 of the normalized content, for plan files
  std::map<Address, size_t> index;  // address -> position in `objects`; rebuild with Reindex()

  void Reindex();
  const Resource* Find(const Address& address) const;
  std::vector<const Resource*> OfKind(std::string_view kind) const;
};

}  // namespace hainfra
