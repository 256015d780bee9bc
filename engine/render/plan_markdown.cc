#include "engine/render/plan_markdown.h"

#include <map>
#include <vector>

#include "engine/plan/dag.h"
#include "engine/render/plan_text.h"
#include "engine/render/words.h"

namespace hainfra::render {
namespace {

// A value longer than this is shortened in a table cell (the plan file and `plan --json` keep it whole).
constexpr size_t kMdMaxValueChars = 300;

// Text for HTML inside Markdown: HTML-escaped, and `|` as an entity so that it cannot split a table's row.
std::string MdEscape(std::string_view text) {
  std::string cell;
  for (char c : text) {
    switch (c) {
      case '&': cell += "&amp;"; break;
      case '<': cell += "&lt;"; break;
      case '>': cell += "&gt;"; break;
      case '|': cell += "&#124;"; break;
      case '\n': cell += ' '; break;
      default: cell += c;
    }
  }
  return cell;
}

std::string MdCode(std::string_view text) { return "<code>" + MdEscape(text) + "</code>"; }

std::string MdValue(const Value& value) {
  if (value.is_null()) return "";
  std::string text = ValueText(value);
  if (text.size() > kMdMaxValueChars) text = text.substr(0, kMdMaxValueChars) + "…";
  return MdCode(text);
}

std::string MdThousands(size_t n) {
  const std::string digits = std::to_string(n);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

// Counts of one kind: create, update, replace, delete, unchanged.
struct MdKindCounts {
  size_t actions[5] = {0, 0, 0, 0, 0};  // indexed by Action
  size_t unchanged = 0;
};

std::string MdSummaryTable(const Plan& plan) {
  std::map<std::string, MdKindCounts> kinds;
  MdKindCounts total;
  for (const Step& step : plan.steps) {
    if (step.type != StepType::kChange) continue;
    const auto index = static_cast<size_t>(step.change.action);
    ++kinds[step.change.address.kind].actions[index];
    ++total.actions[index];
  }
  for (const Change& change : plan.unchanged) {
    ++kinds[change.address.kind].unchanged;
    ++total.unchanged;
  }
  auto row = [](const std::string& name, const MdKindCounts& c) {
    std::string line = "| " + name;
    for (Action a : {Action::kCreate, Action::kUpdate, Action::kReplace, Action::kDelete}) {
      line += " | " + MdThousands(c.actions[static_cast<size_t>(a)]);
    }
    return line + " | " + MdThousands(c.unchanged) + " |\n";
  };
  std::string table = "| kind | create | update | replace | delete | unchanged |\n|---|--:|--:|--:|--:|--:|\n";
  for (const auto& [kind, counts] : kinds) table += row(MdCode(kind), counts);
  if (kinds.size() > 1) table += row("**total**", total);
  return table;
}

std::string MdFieldFlags(const Change& change, const FieldChange& field) {
  std::string flags;
  if (field.force_new && change.action == Action::kReplace) flags += " **forces replacement**";
  if (field.reboot && change.action == Action::kUpdate) flags += " after reboot";
  if (!field.refused.empty()) flags += " **refused:** " + MdCode(field.refused);
  return flags;
}

// One object's change as a collapsible block.
std::string MdChangeBlock(const Change& change) {
  std::string summary = "<code>" + std::string(Marker(change.action)) + " " + std::string(ActionName(change.action)) +
                        "</code> <b>" + MdCode(change.address.ToString()) + "</b>";
  if (!change.reason.empty()) summary += " — " + MdEscape(change.reason);
  if (change.destructive) summary += " ⚠️ <b>destructive</b>";
  if (change.reboot) summary += " (needs reboot)";
  std::string block = "<details><summary>" + summary + "</summary>\n\n";
  if (change.fields.empty()) {
    block += change.action == Action::kDelete ? "The object is deleted.\n" : "No field-level details.\n";
  } else {
    block += "| field | before | after | |\n|---|---|---|---|\n";
    for (const FieldChange& field : change.fields) {
      block += "| " + MdCode(field.path) + " | " + MdValue(field.before) + " | " + MdValue(field.after) + " |" +
               MdFieldFlags(change, field) + " |\n";
    }
  }
  return block + "\n</details>\n";
}

std::string MdDiagnostic(const Diagnostic& d) { return "- " + MdCode(d.ToString()) + "\n"; }

// The order the steps run in, commits and health gates included, as one more collapsible block.
std::string MdOrderBlock(const Plan& plan) {
  std::string block = "<details><summary>Order of the steps (" + MdThousands(plan.steps.size()) + ")</summary>\n\n";
  for (const Step& step : plan.steps) {
    std::string line = step.type == StepType::kChange
                           ? std::string(Marker(step.change.action)) + " " + std::string(ActionName(step.change.action)) +
                                 " " + step.change.address.ToString()
                           : plan::StepName(step);
    block += std::to_string(step.id + 1) + ". " + MdCode(line) + "\n";
  }
  return block + "\n</details>\n";
}

}  // namespace

void RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& options, std::ostream& out) {
  std::string head = "### " + options.title + "\n\n";
  if (plan.empty()) {
    head += "**No changes.** The cluster matches the spec (" + MdThousands(plan.unchanged.size()) +
            (plan.unchanged.size() == 1 ? " object" : " objects") + " checked).\n";
  } else {
    head += "**" + SummaryLine(plan) + "**";
    size_t destructive = 0;
    size_t reboot = 0;
    for (const Step& step : plan.steps) {
      destructive += step.type == StepType::kChange && step.change.destructive ? 1 : 0;
      reboot += step.type == StepType::kChange && step.change.reboot ? 1 : 0;
    }
    if (destructive > 0) {
      head += " ⚠️ " + MdThousands(destructive) + " destructive step" + (destructive == 1 ? "" : "s") +
              " (applies only with `--allow-destroy`).";
    }
    if (reboot > 0) {
      head += " " + MdThousands(reboot) + (reboot == 1 ? " guest needs" : " guests need") + " a reboot for changes to take effect.";
    }
    head += "\n\n" + MdSummaryTable(plan);
  }

  // Everything after the head, in the order shown; cut at the end when it does not fit.
  std::vector<std::string> blocks;
  std::vector<std::string> what;  // what each block is, for the note on what was left out
  if (!plan.diagnostics.empty()) {
    blocks.push_back(std::string("\n") + (HasErrors(plan.diagnostics) ? "**The plan has refused changes: it cannot be "
                                                                         "applied.**\n\n"
                                                                       : "**Warnings:**\n\n"));
    what.push_back("");
    for (const Diagnostic& d : plan.diagnostics) {
      blocks.push_back(MdDiagnostic(d));
      what.push_back("diagnostic");
    }
  }
  bool first_change = true;
  for (const Step& step : plan.steps) {
    if (step.type != StepType::kChange) continue;
    blocks.push_back((first_change ? "\n" : "") + MdChangeBlock(step.change));
    what.push_back(step.change.address.ToString());
    first_change = false;
  }
  if (!plan.empty()) {
    blocks.push_back(MdOrderBlock(plan));
    what.push_back("the order of the steps");
  }

  // The note on what was cut needs room of its own; 400 characters hold it.
  constexpr size_t kNoteRoom = 400;
  size_t used = head.size();
  size_t shown = 0;
  for (; shown < blocks.size(); ++shown) {
    const bool last = shown + 1 == blocks.size();
    const size_t room = options.max_chars > used ? options.max_chars - used : 0;
    if (blocks[shown].size() + (last ? 0 : kNoteRoom) > room) break;
    used += blocks[shown].size();
  }
  out << head;
  for (size_t i = 0; i < shown; ++i) out << blocks[i];
  if (shown == blocks.size()) return;

  size_t cut_objects = 0;
  size_t cut_diagnostics = 0;
  std::string first_cut;
  for (size_t i = shown; i < blocks.size(); ++i) {
    if (what[i] == "diagnostic") ++cut_diagnostics;
    else if (what[i].find('/') != std::string::npos) ++cut_objects;
    if (first_cut.empty() && !what[i].empty()) first_cut = what[i];
  }
  std::string note = "\n---\n*Cut to stay under " + MdThousands(options.max_chars) + " characters: left out ";
  std::string parts;
  if (cut_diagnostics > 0) parts += MdThousands(cut_diagnostics) + (cut_diagnostics == 1 ? " diagnostic" : " diagnostics");
  if (cut_objects > 0) {
    parts += (parts.empty() ? "" : ", ") + std::string("the details of ") + MdThousands(cut_objects) +
             (cut_objects == 1 ? " object" : " objects");
    if (first_cut.find('/') != std::string::npos) parts += " (from " + MdCode(first_cut) + " on)";
  }
  if (!plan.empty()) parts += std::string(parts.empty() ? "" : " and ") + "the order of the steps";
  note += parts + ". The counts above are complete; the whole plan is in `hainfra plan` (text) or `--format json`.*\n";
  out << note;
}

}  // namespace hainfra::render
