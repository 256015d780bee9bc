// Types one YAML node against its FieldSpec: the Value the user wrote (ints as ints, sizes as written), the
// location of every field, and a located diagnostic for every key, type, range, enum or format problem.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/spec/yaml_tree.h"
#include "hainfra/field.h"
#include "hainfra/location.h"
#include "hainfra/value.h"

namespace hainfra::spec {

struct TypeContext {
  const std::string& file;
  Diagnostics& out;
  std::map<std::string, Location>& locations;  // JSON pointer -> where the key (or list entry) was written
};

// The typed value, or nullopt when the node is unusable (its diagnostic is already in ctx.out). `path` is the
// dotted path for messages ("vms[0].cores"); `pointer` the JSON pointer inside the object ("/cores").
std::optional<Value> TypeNode(const YamlNode& node, const FieldSpec& field, const std::string& path,
                              const std::string& pointer, TypeContext& ctx);

// Adds a located error to `out`: "<path>: <message>".
void AddError(Diagnostics& out, const std::string& file, Mark at, const std::string& path, std::string message);

// "a map", "a list", "an integer", ... describing what a node holds, for messages.
std::string DescribeNode(const YamlNode& node);

// JSON-pointer escaping of one key ('~' -> "~0", '/' -> "~1").
std::string EscapePointer(std::string_view key);

}  // namespace hainfra::spec
