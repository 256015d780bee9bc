// The scalar half of the typer: one string, enum, boolean, number or size checked against its FieldSpec
// (type, range, enum, length, format, pattern, secret references), plus the lazily built field path that
// every message names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/spec/yaml_tree.h"
#include "hainfra/field.h"
#include "hainfra/location.h"
#include "hainfra/value.h"

namespace hainfra::spec {

// A field's place for messages ("vms[3].disks[0].size"), linked to its parent and turned into text only
// when a message needs it: typing a 10,000-VM spec builds no path strings at all.
struct FieldPath {
  const FieldPath* parent = nullptr;
  std::string_view key;  // an object or map key (at the root: the section path, e.g. "vms[3]")
  long index = -1;       // a list index when >= 0

  std::string ToString() const;
};

// Where typing reports its findings.
struct TypeSink {
  const std::string& file;
  Diagnostics& out;

  void Error(Mark at, const FieldPath& path, const std::string& message);
  void Warning(Mark at, const FieldPath& path, const std::string& message);
};

// The value of a scalar node for a scalar field; nullopt (and a diagnostic) when it does not fit.
std::optional<Value> TypeScalar(const YamlNode& node, const FieldSpec& field, const FieldPath& path, TypeSink& sink);

// Clean text, length, named format and pattern of a string value or a map key; `what` is "value" or "key".
bool CheckText(const std::string& text, const FieldSpec& field, Mark at, const FieldPath& path,
               std::string_view what, TypeSink& sink);

// What a field expects, for messages: "an integer", "one of: on, off, warn".
std::string Expected(const FieldSpec& field);

// `text` in backquotes, shortened when long.
std::string Quote(std::string_view text);

}  // namespace hainfra::spec
