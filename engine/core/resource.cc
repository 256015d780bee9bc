#include "hainfra/resource.h"

#include <optional>

#include "hainfra/change.h"
#include "hainfra/field.h"
#include "hainfra/spec.h"

namespace hainfra {

std::optional<Address> ParseAddress(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  return Address{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

const Location& Resource::LocationOf(const std::string& pointer) const {
  // Walk up the pointer ("/disks/0/size" -> "/disks/0" -> "/disks") until something was recorded.
  std::string p = pointer;
  while (!p.empty()) {
    auto it = locations.find(p);
    if (it != locations.end()) return it->second;
    const size_t slash = p.rfind('/');
    if (slash == std::string::npos) break;
    p.resize(slash);
  }
  return where;
}

void Spec::Reindex() {
  index.clear();
  for (size_t i = 0; i < objects.size(); ++i) index.emplace(objects[i].address, i);
}

const Resource* Spec::Find(const Address& address) const {
  auto it = index.find(address);
  return it == index.end() ? nullptr : &objects[it->second];
}

std::vector<const Resource*> Spec::OfKind(std::string_view kind) const {
  std::vector<const Resource*> out;
  for (const Resource& r : objects) {
    if (r.address.kind == kind) out.push_back(&r);
  }
  return out;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNoOp: return "no-op";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "no-op";
}

const FieldSpec* FindField(const FieldSpec& object, std::string_view name) {
  for (const FieldSpec& f : object.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace hainfra
