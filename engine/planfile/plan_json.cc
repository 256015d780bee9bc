#include "engine/planfile/plan_json.h"

#include <array>

namespace hainfra::planfile {
namespace {

constexpr std::string_view kFormat = "hainfra-plan";

std::string_view StepTypeName(StepType type) {
  switch (type) {
    case StepType::kChange: return "change";
    case StepType::kCommit: return "commit";
    case StepType::kGate: return "gate";
  }
  return "change";
}

Value FieldToJson(const FieldChange& f) {
  Value j = {{"path", f.path}, {"pointer", f.pointer}, {"before", f.before}, {"after", f.after},
             {"force_new", f.force_new}, {"reboot", f.reboot}, {"secret", f.secret}};
  if (!f.refused.empty()) j["refused"] = f.refused;
  return j;
}

Value StepToJson(const Step& step) {
  Value j = {{"id", step.id}, {"type", StepTypeName(step.type)}, {"phase", step.phase}, {"deps", step.deps},
             {"node", step.node}, {"guest", step.guest}, {"address", step.change.address.ToString()}};
  if (step.type != StepType::kChange) return j;
  const Change& c = step.change;
  j["action"] = ActionName(c.action);
  j["reason"] = c.reason;
  j["destructive"] = c.destructive;
  j["reboot"] = c.reboot;
  j["version"] = c.version;
  j["before"] = c.before;
  j["after"] = c.after;
  j["fields"] = Value::array();
  for (const FieldChange& f : c.fields) j["fields"].push_back(FieldToJson(f));
  if (!c.ignored.empty()) j["ignored"] = c.ignored;
  return j;
}

Value DiagnosticToJson(const Diagnostic& d) {
  return {{"severity", d.severity == Severity::kError ? "error" : "warning"}, {"file", d.where.file},
          {"line", d.where.line}, {"column", d.where.column}, {"field", d.field}, {"message", d.message}};
}

// Typed reads that name the member on failure; nlohmann's own accessors would throw.
class Reader {
 public:
  Reader(const Value& object, std::string path) : object_(object), path_(std::move(path)) {}

  Status Object() const {
    if (object_.is_object()) return Ok();
    return Fail(Code::kInvalidArgument, (path_.empty() ? "the plan" : path_) + ": expected an object");
  }
  Status String(const char* key, std::string& out, bool required = true) const {
    auto it = object_.find(key);
    if (it == object_.end() && !required) return Ok();
    if (it == object_.end() || !it->is_string()) return Bad(key, "expected a string");
    out = it->get<std::string>();
    return Ok();
  }
  Status Int(const char* key, int& out) const {
    auto it = object_.find(key);
    if (it == object_.end() || !it->is_number_integer()) return Bad(key, "expected an integer");
    out = it->get<int>();
    return Ok();
  }
  Status Bool(const char* key, bool& out) const {
    auto it = object_.find(key);
    if (it == object_.end() || !it->is_boolean()) return Bad(key, "expected true or false");
    out = it->get<bool>();
    return Ok();
  }
  Status Any(const char* key, Value& out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Bad(key, "missing");
    out = *it;
    return Ok();
  }
  // An optional list of strings (absent: empty), e.g. `ignored`.
  Status Strings(const char* key, std::vector<std::string>& out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Ok();
    if (!it->is_array()) return Bad(key, "expected a list of strings");
    for (const Value& v : *it) {
      if (!v.is_string()) return Bad(key, "expected a list of strings");
      out.push_back(v.get<std::string>());
    }
    return Ok();
  }
  Result<const Value*> Array(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || !it->is_array()) return Fail(Bad(key, "expected a list").error());
    return &*it;
  }
  std::string Path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  Status Bad(const char* key, const std::string& message) const {
    return Fail(Code::kInvalidArgument, Path(key) + ": " + message);
  }

 private:
  const Value& object_;
  std::string path_;
};

#define HAINFRA_TRY(expr)                 \
  do {                                    \
    if (Status s_ = (expr); !s_) return Fail(s_.error()); \
  } while (false)

Result<Address> ReadAddress(const Reader& r) {
  std::string text;
  HAINFRA_TRY(r.String("address", text));
  if (text.size() > 1 && text.back() == '/') return Address{text.substr(0, text.size() - 1), ""};  // a commit of a kind
  auto address = ParseAddress(text);
  if (!address) return Fail(r.Bad("address", "\"" + text + "\" is not kind/name").error());
  return *address;
}

Result<FieldChange> ReadField(const Value& j, const std::string& path) {
  Reader r(j, path);
  FieldChange f;
  HAINFRA_TRY(r.Object());
  HAINFRA_TRY(r.String("path", f.path));
  HAINFRA_TRY(r.String("pointer", f.pointer));
  HAINFRA_TRY(r.Any("before", f.before));
  HAINFRA_TRY(r.Any("after", f.after));
  HAINFRA_TRY(r.Bool("force_new", f.force_new));
  HAINFRA_TRY(r.Bool("reboot", f.reboot));
  HAINFRA_TRY(r.Bool("secret", f.secret));
  HAINFRA_TRY(r.String("refused", f.refused, /*required=*/false));
  return f;
}

Result<Step> ReadStep(const Value& j, const std::string& path) {
  Reader r(j, path);
  Step step;
  HAINFRA_TRY(r.Object());
  HAINFRA_TRY(r.Int("id", step.id));
  HAINFRA_TRY(r.Int("phase", step.phase));
  HAINFRA_TRY(r.String("node", step.node));
  HAINFRA_TRY(r.String("guest", step.guest));
  std::string type;
  HAINFRA_TRY(r.String("type", type));
  if (type == "change") step.type = StepType::kChange;
  else if (type == "commit") step.type = StepType::kCommit;
  else if (type == "gate") step.type = StepType::kGate;
  else return Fail(r.Bad("type", "unknown step type \"" + type + "\"").error());
  Result<const Value*> deps = r.Array("deps");
  if (!deps) return Fail(deps.error());
  for (const Value& d : **deps) {
    if (!d.is_number_integer()) return Fail(r.Bad("deps", "expected step ids").error());
    step.deps.push_back(d.get<int>());
  }
  Result<Address> address = ReadAddress(r);
  if (!address) return Fail(address.error());
  step.change.address = *address;
  if (step.type != StepType::kChange) return step;

  Change& c = step.change;
  std::string action;
  HAINFRA_TRY(r.String("action", action));
  constexpr std::array kActions = {Action::kNoOp, Action::kCreate, Action::kUpdate, Action::kReplace, Action::kDelete};
  bool known = false;
  for (Action a : kActions) {
    if (ActionName(a) != action) continue;
    c.action = a;
    known = true;
  }
  if (!known) return Fail(r.Bad("action", "unknown action \"" + action + "\"").error());
  HAINFRA_TRY(r.String("reason", c.reason));
  HAINFRA_TRY(r.Bool("destructive", c.destructive));
  HAINFRA_TRY(r.Bool("reboot", c.reboot));
  HAINFRA_TRY(r.String("version", c.version));
  HAINFRA_TRY(r.Any("before", c.before));
  HAINFRA_TRY(r.Any("after", c.after));
  Result<const Value*> fields = r.Array("fields");
  if (!fields) return Fail(fields.error());
  for (size_t i = 0; i < (*fields)->size(); ++i) {
    Result<FieldChange> f = ReadField((**fields)[i], r.Path("fields") + "[" + std::to_string(i) + "]");
    if (!f) return Fail(f.error());
    c.fields.push_back(std::move(*f));
  }
  HAINFRA_TRY(r.Strings("ignored", c.ignored));
  return step;
}

}  // namespace

Value PlanToJson(const Plan& plan) {
  int counts[5] = {0, 0, 0, 0, 0};
  Value steps = Value::array();
  for (const Step& step : plan.steps) {
    if (step.type == StepType::kChange) ++counts[static_cast<int>(step.change.action)];
    steps.push_back(StepToJson(step));
  }
  Value unchanged = Value::array();
  for (const Change& c : plan.unchanged) {
    Value u = {{"address", c.address.ToString()}, {"version", c.version}};
    if (!c.ignored.empty()) u["ignored"] = c.ignored;
    if (!c.held.empty()) u["held"] = c.held;
    unchanged.push_back(std::move(u));
  }
  Value diagnostics = Value::array();
  for (const Diagnostic& d : plan.diagnostics) diagnostics.push_back(DiagnosticToJson(d));
  return {
      {"format", kFormat},
      {"format_version", Plan::kFormatVersion},
      {"spec_hash", plan.spec_hash},
      {"summary",
       {{"create", counts[static_cast<int>(Action::kCreate)]},
        {"update", counts[static_cast<int>(Action::kUpdate)]},
        {"replace", counts[static_cast<int>(Action::kReplace)]},
        {"delete", counts[static_cast<int>(Action::kDelete)]},
        {"unchanged", plan.unchanged.size()},
        {"ignored", plan.ignored_fields()}}},
      {"steps", steps},
      {"unchanged", unchanged},
      {"diagnostics", diagnostics},
  };
}

Result<Plan> PlanFromJson(const Value& json) {
  Reader r(json, "");
  HAINFRA_TRY(r.Object());
  std::string format;
  HAINFRA_TRY(r.String("format", format));
  if (format != kFormat) return Fail(Code::kInvalidArgument, "not a hainfra plan (format \"" + format + "\")");
  int version = 0;
  HAINFRA_TRY(r.Int("format_version", version));
  if (version != Plan::kFormatVersion) {
    return Fail(Code::kInvalidArgument, "plan format_version " + std::to_string(version) +
                                            " is not the one this hainfra reads (" +
                                            std::to_string(Plan::kFormatVersion) + ")");
  }
  Plan plan;
  HAINFRA_TRY(r.String("spec_hash", plan.spec_hash));
  Result<const Value*> steps = r.Array("steps");
  if (!steps) return Fail(steps.error());
  for (size_t i = 0; i < (*steps)->size(); ++i) {
    Result<Step> step = ReadStep((**steps)[i], "steps[" + std::to_string(i) + "]");
    if (!step) return Fail(step.error());
    if (step->id != static_cast<int>(i)) {
      return Fail(Code::kInvalidArgument, "steps[" + std::to_string(i) + "].id: expected " + std::to_string(i));
    }
    for (int dep : step->deps) {
      if (dep < 0 || dep >= step->id) {
        return Fail(Code::kInvalidArgument, "steps[" + std::to_string(i) + "].deps: " + std::to_string(dep) +
                                                " is not an earlier step");
      }
    }
    plan.steps.push_back(std::move(*step));
  }
  Result<const Value*> unchanged = r.Array("unchanged");
  if (!unchanged) return Fail(unchanged.error());
  for (size_t i = 0; i < (*unchanged)->size(); ++i) {
    Reader u((**unchanged)[i], "unchanged[" + std::to_string(i) + "]");
    HAINFRA_TRY(u.Object());
    Result<Address> address = ReadAddress(u);
    if (!address) return Fail(address.error());
    Change c;
    c.address = *address;
    HAINFRA_TRY(u.String("version", c.version));
    HAINFRA_TRY(u.Strings("ignored", c.ignored));
    HAINFRA_TRY(u.String("held", c.held, /*required=*/false));
    plan.unchanged.push_back(std::move(c));
  }
  return plan;
}

#undef HAINFRA_TRY

}  // namespace hainfra::planfile
