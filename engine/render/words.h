// Words shared by the renderers: how values, actions and steps read in text.
#pragma once

#include <string>

#include "hainfra/change.h"
#include "hainfra/plan.h"

namespace hainfra::render {

// A value in one line: strings quoted, "(sensitive)" as is, null as "(none)", objects as compact JSON.
std::string ValueText(const Value& value);

// The marker of an action: "+", "~", "-/+", "-" ("" for no-op).
std::string_view Marker(Action action);

// "create" -> "creating" / "created"; commits and gates have their own words.
std::string Doing(const Step& step);
std::string Done(const Step& step);

}  // namespace hainfra::render
