// Where something was written in the spec, and diagnostics that point there.
#pragma once

#include <string>
#include <vector>

namespace hainfra {

struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown

  bool known() const { return line > 0; }
  // "file:line:col" (or just "file" when the position is unknown)
  std::string ToString() const;
};

enum class Severity { kError, kWarning };

// One finding about the spec: `file:line:col: message`, naming the offending field.
struct Diagnostic {
  Severity severity = Severity::kError;
  Location where;
  std::string field;    // dotted path of the field, e.g. "vms[2].disks[0].size"
  std::string message;  // e.g. "unknown key `memroy` — did you mean `memory`?"

  // "file:line:col: error: message"
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool HasErrors(const Diagnostics& diagnostics);

}  // namespace hainfra
