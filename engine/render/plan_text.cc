#include "engine/render/plan_text.h"

#include "engine/plan/dag.h"
#include "engine/render/style.h"
#include "engine/render/words.h"

namespace hainfra::render {
namespace {

std::string Colored(const Style& style, Action action, std::string_view text) {
  switch (action) {
    case Action::kCreate: return style.Green(text);
    case Action::kUpdate: return style.Yellow(text);
    case Action::kReplace: return style.Magenta(text);
    case Action::kDelete: return style.Red(text);
    case Action::kNoOp: break;
  }
  return std::string(text);
}

void RenderField(const Style& style, const Change& change, const FieldChange& field, std::ostream& out) {
  std::string line;
  Action shape = Action::kUpdate;
  if (field.before.is_null()) {
    shape = Action::kCreate;
    line = field.path + ": " + ValueText(field.after);
  } else if (field.after.is_null()) {
    shape = Action::kDelete;
    line = field.path + ": " + ValueText(field.before);
  } else {
    line = field.path + ": " + ValueText(field.before) + " → " + ValueText(field.after);
  }
  out << "    " << Colored(style, shape, Marker(shape)) << " " << line;
  if (field.force_new && change.action == Action::kReplace) out << " " << style.BoldRed("(forces replacement)");
  if (field.reboot && change.action == Action::kUpdate) out << " " << style.Yellow("(after reboot)");
  if (!field.refused.empty()) out << " " << style.BoldRed("(refused: " + field.refused + ")");
  out << "\n";
}

void RenderChange(const Style& style, const Change& change, std::ostream& out) {
  out << Colored(style, change.action, std::string(Marker(change.action)) + " " + std::string(ActionName(change.action)))
      << " " << style.Bold(change.address.ToString());
  if (!change.reason.empty()) out << " (" << change.reason << ")";
  if (change.destructive) out << " " << style.BoldRed("[destructive]");
  if (change.reboot) out << " " << style.Yellow("[needs reboot]");
  if (!change.ignored.empty()) out << " " << style.Dim("[" + std::to_string(change.ignored.size()) + " ignored]");
  out << "\n";
  for (const FieldChange& field : change.fields) RenderField(style, change, field, out);
}

}  // namespace

std::string SummaryLine(const Plan& plan) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const Step& step : plan.steps) {
    if (step.type == StepType::kChange) ++counts[static_cast<int>(step.change.action)];
  }
  return "Plan: " + std::to_string(counts[static_cast<int>(Action::kCreate)]) + " to create, " +
         std::to_string(counts[static_cast<int>(Action::kUpdate)]) + " to update, " +
         std::to_string(counts[static_cast<int>(Action::kReplace)]) + " to replace, " +
         std::to_string(counts[static_cast<int>(Action::kDelete)]) + " to delete" + IgnoredNote(plan, "; ") + ".";
}

std::string IgnoredNote(const Plan& plan, std::string_view lead) {
  const size_t n = plan.ignored_fields();
  if (n == 0) return "";
  return std::string(lead) + std::to_string(n) + (n == 1 ? " field" : " fields") + " ignored by enforcement.ignore";
}

// Differences the kinds hold back this run (a reboot outside its window): shown, not changes, not drift.
void RenderHeld(const Style& style, const Plan& plan, std::ostream& out) {
  bool first = true;
  for (const Change& c : plan.unchanged) {
    if (c.held.empty()) continue;
    if (first) out << "\n" << style.Bold("Held back (pending; not changes of this run):") << "\n";
    first = false;
    out << "  " << style.Dim("=") << " " << style.Bold(c.address.ToString()) << " (" << c.held << ")\n";
  }
}

void RenderPlanText(const Plan& plan, const TextOptions& options, std::ostream& out) {
  const Style style(options.color);
  if (plan.empty()) {
    out << "No changes. The cluster matches the spec (" << plan.unchanged.size()
        << (plan.unchanged.size() == 1 ? " object" : " objects") << " checked" << IgnoredNote(plan, ", ") << ").\n";
    RenderHeld(style, plan, out);
    return;
  }
  out << options.heading << "\n\n";
  for (const Step& step : plan.steps) {
    if (step.type == StepType::kChange) RenderChange(style, step.change, out);
    else out << "  " << style.Dim(plan::StepName(step)) << "\n";
  }
  RenderHeld(style, plan, out);
  out << "\n" << style.Bold(SummaryLine(plan)) << "\n";
}

}  // namespace hainfra::render
