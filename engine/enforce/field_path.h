// Globs on object names and the field-path patterns of `enforcement.ignore`: the syntax of
// FieldChange::path ("memory", "disks[scsi0].size", "nets[net1]") with globs inside brackets ("nets[*].macaddr").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hainfra/field.h"

namespace hainfra::enforce {

// Shell-style glob on the whole text: `*` any run of characters, `?` one character, everything else literal.
bool GlobMatch(std::string_view pattern, std::string_view text);

// One step of a path: a field name, or a key in brackets (of a keyed list or a map).
struct PathSegment {
  std::string text;
  bool key = false;  // written in brackets
};

// Splits "nets[*].macaddr" into nets, [*], macaddr; an error message names what is malformed.
bool SplitFieldPath(std::string_view path, std::vector<PathSegment>& out, std::string& error);

// Whether a FieldChange path is covered by an ignore pattern: the pattern's segments match the path's
// first segments (field names exactly, bracket keys as globs), so `nets` covers `nets[net0].macaddr` and
// `nets[*].macaddr` covers `nets[net1].macaddr` but not the whole entry `nets[net1]`.
bool FieldPathMatches(std::string_view pattern, std::string_view path);

// Checks a pattern against a kind's body: every name a declared field, every bracket on a keyed list or a
// map. Empty when valid, else the message ("unknown field `memroy` — did you mean `memory`?").
std::string CheckFieldPath(std::string_view pattern, const FieldSpec& body);

}  // namespace hainfra::enforce
