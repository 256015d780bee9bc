#include "cli/schema_command.h"

#include "engine/spec/field_docs.h"
#include "engine/spec/json_schema.h"

namespace hainfra::cli {

int RunSchema(const SchemaOptions& options, std::ostream& out) {
  out << (options.markdown ? spec::FieldReferenceMarkdown() : spec::JsonSchemaText());
  return 0;
}

}  // namespace hainfra::cli
