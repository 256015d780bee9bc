// The field reference of every section as Markdown tables, generated from the field tables (docs/spec.md
// embeds it; `hainfra schema --markdown` prints it).
#pragma once

#include <string>

namespace hainfra::spec {

// One "### section" heading and table per section, fields in declaration order, nested fields dotted.
std::string FieldReferenceMarkdown();

}  // namespace hainfra::spec
