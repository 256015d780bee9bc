#include "engine/render/words.h"

#include "engine/plan/mask.h"

namespace hainfra::render {

std::string ValueText(const Value& value) {
  if (value.is_null()) return "(none)";
  if (value.is_string() && value.get_ref<const std::string&>() == plan::kSensitive) return std::string(plan::kSensitive);
  return value.dump(-1, ' ', false, Value::error_handler_t::replace);
}

std::string_view Marker(Action action) {
  switch (action) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kReplace: return "-/+";
    case Action::kDelete: return "-";
    case Action::kNoOp: return "";
  }
  return "";
}

std::string Doing(const Step& step) {
  switch (step.type) {
    case StepType::kCommit: return "committing";
    case StepType::kGate: return "checking health";
    case StepType::kChange: break;
  }
  switch (step.change.action) {
    case Action::kCreate: return "creating";
    case Action::kUpdate: return "updating";
    case Action::kReplace: return "replacing";
    case Action::kDelete: return "deleting";
    case Action::kNoOp: return "checking";
  }
  return "working";
}

std::string Done(const Step& step) {
  switch (step.type) {
    case StepType::kCommit: return "committed";
    case StepType::kGate: return "healthy";
    case StepType::kChange: break;
  }
  switch (step.change.action) {
    case Action::kCreate: return "created";
    case Action::kUpdate: return "updated";
    case Action::kReplace: return "replaced";
    case Action::kDelete: return "deleted";
    case Action::kNoOp: return "unchanged";
  }
  return "done";
}

}  // namespace hainfra::render
