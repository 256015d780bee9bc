#include "engine/plan/diff.h"

#include <algorithm>

#include "engine/plan/action.h"
#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "engine/plan/mask.h"

namespace hainfra::plan {
namespace {

bool AnyForceNew(const std::vector<FieldChange>& fields) {
  return std::any_of(fields.begin(), fields.end(), [](const FieldChange& f) { return f.force_new; });
}

bool AnyReboot(const std::vector<FieldChange>& fields) {
  return std::any_of(fields.begin(), fields.end(), [](const FieldChange& f) { return f.reboot; });
}

// A short human summary; display only.
std::string Reason(const Change& change, const Resource* desired, const ActionFacts& facts, const std::string& kind) {
  auto list = [&](bool only_force_new) {
    std::string text;
    int shown = 0, total = 0;
    for (const FieldChange& f : change.fields) {
      if (only_force_new && !f.force_new) continue;
      ++total;
      if (shown < 3) text += (shown++ ? ", " : "") + f.path;
    }
    if (total > shown) text += " and " + std::to_string(total - shown) + " more";
    return text;
  };
  switch (change.action) {
    case Action::kCreate: return "not in the cluster";
    case Action::kUpdate: return list(false) + (change.fields.size() == 1 ? " differs" : " differ");
    case Action::kReplace: return list(true) + " cannot change in place";
    case Action::kDelete:
      if (desired != nullptr) return "state: absent";
      if (facts.prune && facts.owned) return "not in the spec, owned by hainfra, and --prune " + kind;
      return "not in the spec";
    case Action::kNoOp: return "";
  }
  return "";
}

void MaskChange(const FieldSpec& body, Change& change) {
  if (!HasSecrets(body) && std::none_of(change.fields.begin(), change.fields.end(),
                                        [](const FieldChange& f) { return f.secret; })) {
    return;
  }
  MaskSecrets(body, change.before);
  MaskSecrets(body, change.after);
  for (FieldChange& f : change.fields) {
    if (!f.secret) continue;
    if (!f.before.is_null()) f.before = std::string(kSensitive);
    if (!f.after.is_null()) f.after = std::string(kSensitive);
  }
}

}  // namespace

Change Diff(const ResourceKind& kind, const Resource* desired, const Observed* observed,
            const DiffOptions& options, Diagnostics& diagnostics) {
  const KindTraits& traits = kind.traits();
  Change change;
  change.address = desired != nullptr ? desired->address : observed->address;
  if (observed != nullptr) {
    change.before = observed->body;
    kind.Normalize(change.before);
    change.version = VersionOf(*observed);
  }
  const bool wanted = desired != nullptr && !desired->absent;
  if (wanted) {
    change.after = desired->body;
    kind.Normalize(change.after);
    DiffFields(traits.body, change.after, observed != nullptr ? change.before : Value::object(),
               /*creating=*/observed == nullptr, change.fields);
  }

  ActionFacts facts;
  facts.desired = desired != nullptr;
  facts.absent = desired != nullptr && desired->absent;
  facts.observed = observed != nullptr;
  facts.owned = observed != nullptr && observed->owned;
  facts.prune = options.prune;
  facts.differs = !change.fields.empty();
  facts.force_new = AnyForceNew(change.fields);
  // Removal the kind never does by itself: planned (so it shows) with what to do by hand as its note.
  std::string by_hand;
  if (observed != nullptr && !wanted) by_hand = kind.ByHandRemoval(*observed);
  facts.by_hand = !by_hand.empty();
  change.action = ChooseAction(facts);

  // What the kind says about the change: its by-hand steps, or its Review's note ("disk scsi1 is detached and kept").
  std::string note = by_hand;
  if (wanted && observed != nullptr) {
    // The kind may drop differences it must not fight, mark fields, or refuse; then decide again.
    Status reviewed = kind.Review(*desired, *observed, change);
    note = std::move(change.reason);
    if (options.ignore != nullptr && *options.ignore) {
      std::erase_if(change.fields, [&](const FieldChange& f) {
        if (!(*options.ignore)(*desired, f)) return false;
        change.ignored.push_back(f.path);
        return true;
      });
    }
    if (!reviewed) {
      diagnostics.push_back({Severity::kError, desired->where, "",
                             change.address.ToString() + ": " + reviewed.error().message});
    }
    for (const FieldChange& f : change.fields) {
      if (f.refused.empty()) continue;
      diagnostics.push_back({Severity::kError, desired->LocationOf(f.pointer), f.path,
                             change.address.ToString() + ": " + f.path + ": " + f.refused});
    }
    facts.differs = !change.fields.empty();
    facts.force_new = AnyForceNew(change.fields);
    change.action = ChooseAction(facts);
  }

  if (change.action == Action::kDelete) change.fields.clear();
  if (change.action == Action::kCreate || change.action == Action::kDelete) change.reboot = false;
  else change.reboot = change.reboot || AnyReboot(change.fields);
  change.destructive = change.destructive || IsDestructive(change.action);
  if (change.action == Action::kNoOp) change.destructive = false;
  change.reason = Reason(change, desired, facts, traits.name);
  if (!note.empty() && change.action != Action::kNoOp) change.reason += "; " + note;
  if (change.action != Action::kNoOp && !change.held.empty()) {  // acted on after all: the note is the reason
    change.reason += "; " + change.held;
    change.held.clear();
  }
  MaskChange(traits.body, change);
  return change;
}

}  // namespace hainfra::plan
