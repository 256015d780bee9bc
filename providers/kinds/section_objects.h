// What most kinds share: their desired objects are their spec section's objects as written, and their body
// shape is that section's FieldSpec (schemas/). Kinds that derive objects from other sections do their own.
#pragma once

#include <string_view>
#include <vector>

#include "hainfra/field.h"
#include "hainfra/resource.h"
#include "hainfra/spec.h"

namespace hainfra::providers {

// Copies of the spec's objects of `kind` (`vm`, `storage`, ...), in file order.
std::vector<Resource> SectionObjects(const Spec& spec, std::string_view kind);

// The FieldSpec of one object of the section whose kind is `kind`; an empty object spec when there is none.
FieldSpec SectionBody(std::string_view kind);

}  // namespace hainfra::providers
