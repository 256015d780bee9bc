#include "providers/kinds/section_objects.h"

#include "schemas/sections.h"

namespace hainfra::providers {

std::vector<Resource> SectionObjects(const Spec& spec, std::string_view kind) {
  std::vector<Resource> out;
  for (const Resource* r : spec.OfKind(kind)) out.push_back(*r);
  return out;
}

FieldSpec SectionBody(std::string_view kind) {
  const schemas::SectionSpec* section = schemas::FindSection(kind);
  if (section != nullptr) return section->item;
  FieldSpec empty;
  empty.name = std::string(kind);
  empty.type = FieldType::kObject;
  return empty;
}

}  // namespace hainfra::providers
