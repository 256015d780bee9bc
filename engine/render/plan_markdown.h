// The plan as Markdown for a merge-request / pull-request comment (`plan --format markdown`): a summary
// table of actions per kind, then one collapsible <details> block per object with its fields before → after.
// Secrets read "(sensitive)" as everywhere else; the output is capped so that it fits a comment.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "hainfra/plan.h"

namespace hainfra::render {

struct MarkdownOptions {
  // GitHub caps a comment at 65,536 characters; the default leaves room for a bot's own header.
  static constexpr size_t kDefaultMaxChars = 60000;

  std::string title = "hainfra plan";
  size_t max_chars = kDefaultMaxChars;  // details (then diagnostics) past this are left out, with a note saying so
};

// Writes the plan as Markdown. The text never exceeds `max_chars` characters (bytes) unless the summary
// table alone is longer; an empty plan reads "No changes".
void RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& options, std::ostream& out);

}  // namespace hainfra::render
