// The human plan: one block per change (+ create, ~ update, -/+ replace, - delete) with field-level
// before -> after, destructive and reboot-needing changes flagged, and the summary line.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "hainfra/plan.h"

namespace hainfra::render {

struct TextOptions {
  bool color = false;  // see UseColor
  std::string heading = "hainfra will perform these steps, in this order:";
};

// Writes the plan as text. An empty plan reads "No changes. ...".
void RenderPlanText(const Plan& plan, const TextOptions& options, std::ostream& out);

// "Plan: 2 to create, 1 to update, 0 to replace, 0 to delete." (with "; 1 field ignored by ..." when any)
std::string SummaryLine(const Plan& plan);

// `lead` + "2 fields ignored by enforcement.ignore" when the plan ignored any difference, else "".
std::string IgnoredNote(const Plan& plan, std::string_view lead);

}  // namespace hainfra::render
