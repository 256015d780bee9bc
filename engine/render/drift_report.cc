#include "engine/render/drift_report.h"

#include <algorithm>
#include <map>

#include "engine/render/escape.h"
#include "engine/render/words.h"

namespace hainfra::render {
namespace {

// Objects of the plan by kind, then address: each with its change (no-op for unchanged ones).
std::map<std::string, std::map<std::string, const Change*>> ObjectsByKind(const Plan& plan) {
  std::map<std::string, std::map<std::string, const Change*>> out;
  for (const Step& step : plan.steps) {
    if (step.type == StepType::kChange) out[step.change.address.kind][step.change.address.name] = &step.change;
  }
  for (const Change& c : plan.unchanged) out[c.address.kind].emplace(c.address.name, &c);
  return out;
}

std::string FieldLines(const Change& change) {
  std::string text;
  for (const FieldChange& f : change.fields) {
    text += f.path + ": " + ValueText(f.before) + " → " + ValueText(f.after) + "\n";
  }
  return text;
}

}  // namespace

std::string DriftJUnit(const Plan& plan) {
  const auto objects = ObjectsByKind(plan);
  size_t tests = 0, failures = 0;
  std::string suites;
  for (const auto& [kind, members] : objects) {
    size_t kind_failures = 0;
    std::string cases;
    for (const auto& [name, change] : members) {
      const std::string address = kind + "/" + name;
      cases += "    <testcase classname=\"hainfra.drift." + XmlEscape(kind) + "\" name=\"" + XmlEscape(address) + "\"";
      if (change->action == Action::kNoOp) {
        cases += "/>\n";
        continue;
      }
      ++kind_failures;
      cases += ">\n      <failure type=\"" + std::string(ActionName(change->action)) + "\" message=\"" +
               XmlEscape(address + " needs " + std::string(ActionName(change->action)) +
                         (change->reason.empty() ? "" : ": " + change->reason)) +
               "\">" + XmlEscape(FieldLines(*change)) + "</failure>\n    </testcase>\n";
    }
    tests += members.size();
    failures += kind_failures;
    suites += "  <testsuite name=\"" + XmlEscape(kind) + "\" tests=\"" + std::to_string(members.size()) +
              "\" failures=\"" + std::to_string(kind_failures) + "\" errors=\"0\" skipped=\"0\">\n" + cases +
              "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hainfra drift\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n" + suites +
         "</testsuites>\n";
}

std::string DriftMetrics(const Plan& plan, const MetricsOptions& options) {
  auto objects = ObjectsByKind(plan);
  for (const std::string& kind : options.kinds) objects[kind];
  std::string drift, checked, changes;
  for (const auto& [kind, members] : objects) {
    std::map<Action, int> by_action;
    int drifted = 0;
    for (const auto& [name, change] : members) {
      if (change->action == Action::kNoOp) continue;
      ++drifted;
      ++by_action[change->action];
    }
    const std::string label = "kind=\"" + PrometheusLabelEscape(kind) + "\"";
    drift += "hainfra_drift_objects{" + label + "} " + std::to_string(drifted) + "\n";
    checked += "hainfra_objects{" + label + "} " + std::to_string(members.size()) + "\n";
    for (const auto& [action, count] : by_action) {
      changes += "hainfra_drift_changes{" + label + ",action=\"" + std::string(ActionName(action)) + "\"} " +
                 std::to_string(count) + "\n";
    }
  }
  return "# HELP hainfra_drift_objects Objects whose live state differs from the spec.\n"
         "# TYPE hainfra_drift_objects gauge\n" + drift +
         "# HELP hainfra_objects Objects of the spec checked against the cluster.\n"
         "# TYPE hainfra_objects gauge\n" + checked +
         "# HELP hainfra_drift_changes Changes that would remove the drift, by action.\n"
         "# TYPE hainfra_drift_changes gauge\n" + changes +
         "# HELP hainfra_drift_last_run_timestamp_seconds When the drift check ran, in Unix time.\n"
         "# TYPE hainfra_drift_last_run_timestamp_seconds gauge\n"
         "hainfra_drift_last_run_timestamp_seconds " + std::to_string(options.timestamp) + "\n";
}

}  // namespace hainfra::render
