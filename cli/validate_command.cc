#include "cli/validate_command.h"

#include <map>

#include "engine/spec/loader.h"
#include "engine/spec/secrets.h"
#include "schemas/sections.h"

namespace hainfra::cli {
namespace {

std::string Plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "1 cluster, 3 node, 9 vm, ..." in the order of the sections.
std::string CountsByKind(const Spec& spec) {
  std::map<std::string, size_t> counts;
  for (const Resource& r : spec.objects) {
    if (schemas::FindSettingsSection(r.address.kind) == nullptr) ++counts[r.address.kind];
  }
  std::string out;
  for (const schemas::SectionSpec& s : schemas::Sections()) {
    auto it = counts.find(s.kind);
    if (it == counts.end()) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(it->second) + " " + s.kind;
    counts.erase(it);
  }
  for (const auto& [kind, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
  return out;
}

std::string Join(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

int RunValidate(const ValidateOptions& options, std::ostream& out) {
  spec::LoadResult result = spec::LoadSpec(options.paths);
  if (options.resolve_secrets && !HasErrors(result.diagnostics)) {
    Diagnostics secrets = spec::CheckSecretsResolve(result.spec);
    result.diagnostics.insert(result.diagnostics.end(), secrets.begin(), secrets.end());
  }
  size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : result.diagnostics) {
    out << d.ToString() << "\n";
    ++(d.severity == Severity::kError ? errors : warnings);
  }
  const std::string name = Join(options.paths);
  const std::string files = Plural(result.spec.files.size(), "file");
  if (errors > 0) {
    out << name << ": invalid — " << Plural(errors, "error");
    if (warnings > 0) out << ", " << Plural(warnings, "warning");
    out << " in " << files << "\n";
    return 1;
  }
  if (!options.quiet) {
    std::string settings;  // settings sections are not objects: "with enforcement settings"
    size_t objects = 0;
    for (const Resource& r : result.spec.objects) {
      if (schemas::FindSettingsSection(r.address.kind) != nullptr) settings += (settings.empty() ? "" : ", ") + r.address.kind;
      else ++objects;
    }
    out << name << ": valid — " << files << ", " << Plural(objects, "object");
    if (objects > 0) out << " (" << CountsByKind(result.spec) << ")";
    if (!settings.empty()) out << ", with " << settings << " settings";
    if (warnings > 0) out << ", " << Plural(warnings, "warning");
    out << "\n";
  }
  return 0;
}

}  // namespace hainfra::cli
