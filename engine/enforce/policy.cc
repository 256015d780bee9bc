#include "engine/enforce/policy.h"

#include "engine/enforce/field_path.h"
#include "engine/enforce/rules.h"

namespace hainfra::enforce {
namespace {

// The override deciding an object's mode: the most specific match (tags > name/address > kind), the first
// written among equally specific ones; nullptr when only the default applies.
const Override* DecidingOverride(const Policy::Rules& rules, const Address& address, const Spec& spec) {
  const Resource* desired = spec.Find(address);
  const Override* best = nullptr;
  for (const Override& o : rules.overrides) {
    if (!o.selector.Matches(address, desired)) continue;
    if (best == nullptr || o.selector.Specificity() > best->selector.Specificity()) best = &o;
  }
  return best;
}

std::string WindowText(const Window& w) {
  return std::string(w.allow ? "allow" : "deny") + " window '" + w.name + "' (" + w.calendar + " " + w.zone.name() + ")";
}

}  // namespace

Policy::Policy(Rules rules) : rules_(std::make_shared<const Rules>(std::move(rules))) {}

Result<Policy> Policy::FromSpec(const Spec& spec) {
  const Resource* section = spec.Find(Address{"enforcement", "enforcement"});
  if (section == nullptr) return Policy();
  std::vector<RuleProblem> problems;
  Rules rules = ReadRules(section->body, problems);
  if (!problems.empty()) {
    const RuleProblem& first = problems.front();
    return Fail(Code::kInvalidArgument,
                section->LocationOf(first.pointer).ToString() + ": " + RuleField(first.pointer) + ": " + first.message);
  }
  return Policy(std::move(rules));
}

Mode Policy::ModeOf(const Address& address, const Spec& spec) const {
  if (!rules_) return Mode::kCorrect;
  const Override* o = DecidingOverride(*rules_, address, spec);
  return o != nullptr ? o->mode : rules_->mode;
}

std::string Policy::ModeSource(const Address& address, const Spec& spec) const {
  const Override* o = rules_ ? DecidingOverride(*rules_, address, spec) : nullptr;
  return o != nullptr ? o->selector.Describe() : "default";
}

bool Policy::HasIgnoreRules() const { return rules_ && !rules_->ignore.empty(); }

bool Policy::Ignores(const Resource& desired, const FieldChange& field) const {
  if (!rules_) return false;
  for (const IgnoreRule& rule : rules_->ignore) {
    if (!rule.selector.Matches(desired.address, &desired)) continue;
    for (const std::string& pattern : rule.fields) {
      if (FieldPathMatches(pattern, field.path)) return true;
    }
  }
  return false;
}

bool Policy::WindowOpen(int64_t now, std::string& note) const {
  note.clear();
  if (!rules_ || rules_->windows.empty()) return true;
  std::string allows;
  bool any_allow = false, inside_allow = false;
  for (const Window& w : rules_->windows) {
    const bool inside = w.parsed.Contains(w.zone.ToLocal(now));
    if (!w.allow && inside) {
      note = "inside the " + WindowText(w);  // deny beats allow
      return false;
    }
    if (w.allow) {
      any_allow = true;
      inside_allow = inside_allow || inside;
      allows += (allows.empty() ? "" : ", ") + WindowText(w);
    }
  }
  if (any_allow && !inside_allow) {
    note = "outside every allow window: " + allows;
    return false;
  }
  return true;
}

}  // namespace hainfra::enforce
