// The `enforcement:` section as data: parsed and checked once from the loaded body, for the spec checks
// (every problem, located by JSON pointer) and for the Policy (which refuses a section with problems).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/enforce/calendar.h"
#include "engine/enforce/policy.h"
#include "engine/enforce/time_zone.h"
#include "hainfra/resource.h"
#include "hainfra/spec.h"

namespace hainfra::enforce {

// Which objects an override or ignore rule applies to; every part given must match.
struct Selector {
  std::string kind;             // exact kind, or "" for any
  std::string name;             // glob on the object's name (a VM: its vmid or its `name` field), or ""
  std::string address;          // glob on KIND/NAME, or ""
  std::vector<std::string> tags;  // the object carries all of them

  // How specific: 3 tags, 2 name or address, 1 kind, 0 nothing (never written: refused at load).
  int Specificity() const;
  // `desired` is the spec object (nullptr when the spec does not declare it): its tags and `name`.
  bool Matches(const Address& address, const Resource* desired) const;
  // "vm tagged k8s", "vm/web-*", "kind vm".
  std::string Describe() const;
};

struct Override {
  Selector selector;
  Mode mode = Mode::kCorrect;
};

struct IgnoreRule {
  Selector selector;
  std::vector<std::string> fields;  // FieldChange path patterns
};

struct Window {
  std::string name;
  bool allow = true;     // false: a deny window
  std::string calendar;  // as written
  Calendar parsed;
  TimeZone zone;
};

struct Policy::Rules {
  Mode mode = Mode::kCorrect;
  std::vector<Override> overrides;
  std::vector<IgnoreRule> ignore;
  std::vector<Window> windows;
  int max_objects = 0;           // 0: no limit
  bool node_level_never = false;  // limits.node_level: never (else require_all_online)
};

// A problem of the section: the JSON pointer of the field inside the section's body, and the message.
struct RuleProblem {
  std::string pointer;
  std::string message;
};

// The dotted field of a problem's pointer: "/windows/0/allow" -> "enforcement.windows[0].allow".
std::string RuleField(const std::string& pointer);

// Reads an `enforcement` body (as typed by the loader: keys and value types already checked). Problems
// cover what the schema cannot say: selectors that select nothing, unknown kinds, field paths the kind
// does not have, calendars, time zones, a window with both or neither of allow and deny.
Policy::Rules ReadRules(const Value& body, std::vector<RuleProblem>& problems);

}  // namespace hainfra::enforce
