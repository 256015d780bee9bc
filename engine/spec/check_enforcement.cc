// The `enforcement:` section beyond its types: selectors that select nothing, unknown kinds, field paths a
// kind does not have, calendars (the offending token named), time zones, windows with both or neither of
// allow and deny. The rules themselves live in engine/enforce/rules.cc, shared with the Policy.
#include "engine/enforce/rules.h"
#include "engine/spec/checks.h"

namespace hainfra::spec {

void CheckEnforcement(CheckContext& ctx) {
  for (const Resource* r : ctx.OfKind("enforcement")) {
    std::vector<enforce::RuleProblem> problems;
    (void)enforce::ReadRules(r->body, problems);
    for (const enforce::RuleProblem& p : problems) {
      ctx.SettingError(*r, p.pointer, enforce::RuleField(p.pointer), p.message);
    }
  }
}

}  // namespace hainfra::spec
