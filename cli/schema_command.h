// `hainfra schema`: prints the spec's JSON Schema (or, with --markdown, the field reference tables).
#pragma once

#include <ostream>

namespace hainfra::cli {

struct SchemaOptions {
  bool markdown = false;
};

// Prints to `out`; returns the exit code (always 0).
int RunSchema(const SchemaOptions& options, std::ostream& out);

}  // namespace hainfra::cli
