#include "cli/plan_command.h"

#include "cli/planning.h"
#include "engine/planfile/plan_file.h"
#include "engine/planfile/plan_json.h"
#include "engine/render/plan_markdown.h"
#include "engine/render/plan_text.h"

namespace hainfra::cli {

int RunPlan(const Spec& spec, const std::vector<ResourceKind*>& kinds, const PlanCommandOptions& options,
            Console& console) {
  Result<Plan> plan = ObserveAndPlan(spec, kinds, options.planning, console.err);
  if (!plan) return ReportError(plan.error(), console.err);

  if (options.planning.json) {
    console.out << planfile::PlanToJson(*plan).dump(2) << "\n";
  } else if (options.markdown) {
    render::MarkdownOptions markdown;
    markdown.max_chars = options.markdown_max_chars;
    render::RenderPlanMarkdown(*plan, markdown, console.out);
  } else {
    render::TextOptions text;
    text.color = console.color;
    render::RenderPlanText(*plan, text, console.out);
  }
  if (HasErrors(plan->diagnostics)) {
    console.err << "error: the plan has refused changes (see above); fix the spec and plan again\n";
    return kExitError;
  }
  if (!options.out.empty()) {
    if (Status s = planfile::WritePlanFile(*plan, options.out); !s) return ReportError(s.error(), console.err);
    // With --format json or markdown, stdout carries only the plan.
    (options.planning.json || options.markdown ? console.err : console.out)
        << "\nSaved the plan to " << options.out << ". Apply exactly this plan with: hainfra apply " << options.out
        << "\n";
  }
  if (options.detailed_exitcode && !plan->empty()) return kExitChanges;
  return kExitOk;
}

}  // namespace hainfra::cli
