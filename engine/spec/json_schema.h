// The JSON Schema (draft-07) of the spec, generated from the same field tables the loader uses, for editors
// (yaml-language-server) and independent validators. Committed as schemas/hainfra.schema.json.
#pragma once

#include <string>

#include "hainfra/value.h"

namespace hainfra::spec {

// The whole schema: one property per top-level section, objects closed to unknown keys.
Value GenerateJsonSchema();

// The schema as committed: two-space indented JSON and a final newline.
std::string JsonSchemaText();

}  // namespace hainfra::spec
