#include "cli/drift_command.h"

#include "cli/planning.h"
#include "engine/planfile/atomic_write.h"
#include "engine/planfile/plan_json.h"
#include "engine/render/drift_report.h"
#include "engine/render/plan_text.h"
#include "engine/report/run_report.h"

namespace hainfra::cli {

int FailDrift(const DriftCommandOptions& options, const Error& error, Console& console) {
  if (!options.metrics.empty()) {
    // The previous run's file must not stay in place: an alert on hainfra_last_run_success fires.
    if (Status s = planfile::WriteFileAtomically(options.metrics, report::LastRunMetrics(false, options.now)); !s) {
      console.err << "error: " << s.error().message << "\n";
    }
  }
  return ReportError(error, console.err);
}

int RunDrift(const Spec& spec, const std::vector<ResourceKind*>& kinds, const DriftCommandOptions& options,
             Console& console) {
  Result<Plan> plan = ObserveAndPlan(spec, kinds, options.planning, console.err);
  if (!plan) return FailDrift(options, plan.error(), console);

  size_t drifted = 0;  // objects, not steps: commits and gates are not drift
  for (const Step& step : plan->steps) drifted += step.type == StepType::kChange ? 1 : 0;
  if (options.planning.json) {
    console.out << planfile::PlanToJson(*plan).dump(2) << "\n";
  } else if (drifted == 0) {
    console.out << "No drift: " << plan->unchanged.size() << (plan->unchanged.size() == 1 ? " object matches" : " objects match")
                << " the spec" << render::IgnoredNote(*plan, "; ") << ".\n";
  } else {
    render::TextOptions text;
    text.color = console.color;
    text.heading = "Drift: " + std::to_string(drifted) + (drifted == 1 ? " object differs" : " objects differ") +
                   " from the spec. `hainfra apply` would run these steps:";
    render::RenderPlanText(*plan, text, console.out);
  }

  if (!options.junit.empty()) {
    if (Status s = planfile::WriteFileAtomically(options.junit, render::DriftJUnit(*plan)); !s) {
      return ReportError(s.error(), console.err);
    }
  }
  if (!options.metrics.empty()) {
    render::MetricsOptions metrics;
    for (const ResourceKind* kind : kinds) metrics.kinds.push_back(kind->traits().name);
    metrics.timestamp = options.now;
    const bool success = !HasErrors(plan->diagnostics);
    const std::string text = report::LastRunMetrics(success, options.now) + render::DriftMetrics(*plan, metrics);
    if (Status s = planfile::WriteFileAtomically(options.metrics, text); !s) {
      return ReportError(s.error(), console.err);
    }
  }
  if (HasErrors(plan->diagnostics)) return kExitError;
  return drifted == 0 ? kExitOk : kExitChanges;
}

}  // namespace hainfra::cli
