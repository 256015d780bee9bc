#include "cli/export_command.h"

#include <filesystem>
#include <ostream>

#include "engine/export/exporter.h"
#include "engine/export/spec_writer.h"
#include "engine/planfile/atomic_write.h"
#include "engine/spec/loader.h"

namespace hainfra::cli {
namespace {

namespace fs = std::filesystem;

// The input spec's objects as (kind, body): connection settings and objects no kind reads come from there.
std::vector<std::pair<std::string, Value>> Input(const Spec& input) {
  std::vector<std::pair<std::string, Value>> out;
  for (const Resource& r : input.objects) out.emplace_back(r.address.kind, r.body);
  return out;
}

// Prints the errors of loading the export back; true when it loads. Warnings (advice about the cluster, such
// as a missing QDevice) are `hainfra validate`'s to give.
bool ReportCheck(const Diagnostics& diagnostics, std::ostream& err) {
  if (!HasErrors(diagnostics)) return true;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::kError) err << d.ToString() << "\n";
  }
  err << "error: the exported spec does not load back (above). Usually an object names one of a kind this\n"
         "       session cannot export (see the notes); declare those objects by hand.\n";
  return false;
}

size_t CountObjects(const exporting::ExportedSpec& spec) {
  size_t n = 0;
  for (const exporting::ExportedSection& s : spec.sections) n += s.objects.size();
  return n;
}

}  // namespace

Spec WithMemberAddresses(const Spec& input, transport::ApiClient& api) {
  if (!input.OfKind("node").empty()) return input;
  Result<Value> status = api.Get("/cluster/status");
  if (!status || !status->is_array()) return input;
  Spec out = input;
  for (const Value& entry : *status) {
    if (!entry.is_object() || entry.value("type", "") != "node") continue;
    const std::string name = entry.value("name", "");
    const Value ip = entry.value("ip", Value());
    if (name.empty() || !ip.is_string() || ip.get<std::string>().empty()) continue;
    Resource node;
    node.address = Address{"node", name};
    node.body = Value{{"name", name}, {"address", ip}};
    out.objects.push_back(std::move(node));
  }
  out.Reindex();
  return out;
}

Value ConnectionSettings(const transport::ApiSettings& api) {
  Value settings{{"endpoint", api.endpoint}};
  if (!api.token_id.empty()) {
    settings["token"] = api.token_id;
    settings["secret"] = "${env:HAINFRA_API_SECRET}";
  }  // a ticket login's user and password are no spec settings: HAINFRA_API_USER and _PASSWORD give them
  if (!api.tls_fingerprint.empty()) settings["tls_fingerprint"] = api.tls_fingerprint;
  if (!api.ca_file.empty()) settings["ca_file"] = api.ca_file;
  return Value{{"api", settings}};
}

int RunExport(const Spec& input, const std::vector<ResourceKind*>& kinds, const ExportCommandOptions& options,
              Console& console) {
  if (!options.out.empty() && !options.split.empty()) {
    console.err << "error: --out and --split exclude each other\n";
    return kExitError;
  }
  exporting::ExportRequest request{options.kinds, options.nodes, Input(input), {}};
  if (options.connection.is_object()) request.connection.emplace_back("cluster", options.connection);
  Result<exporting::ExportedSpec> exported = exporting::ExportKinds(kinds, request);
  if (!exported) {
    console.err << "error: " << exported.error().message << "\n";
    return kExitError;
  }
  for (const std::string& note : exported->notes) console.err << "note: " << note << "\n";

  if (exported->sections.empty()) {
    console.err << "error: nothing to export: no kind of this session found an object"
                << (options.kinds.empty() && options.nodes.empty() ? "" : " (with the --kind/--node filters)") << "\n";
    return kExitError;
  }

  const bool split = !options.split.empty();
  std::vector<exporting::SpecFile> files = exporting::WriteSpec(*exported, split);
  std::vector<std::string> written;
  if (split) {
    std::error_code ec;
    fs::create_directories(options.split, ec);
    if (ec) {
      console.err << "error: " << options.split << ": " << ec.message() << "\n";
      return kExitError;
    }
  }
  for (const exporting::SpecFile& file : files) {
    if (!split && options.out.empty()) {
      console.out << file.text;
      continue;
    }
    const std::string path = split ? (fs::path(options.split) / file.name).string() : options.out;
    Status status = planfile::WriteFileAtomically(path, file.text);
    if (!status) {
      console.err << "error: " << path << ": " << status.error().message << "\n";
      return kExitError;
    }
    written.push_back(path);
  }

  // The promise of export is a spec that loads: check it the way `hainfra validate` would.
  spec::LoadResult check = written.empty() ? spec::LoadSpecText(files.front().text, "<export>")
                                           : spec::LoadSpec(written);
  if (!ReportCheck(check.diagnostics, console.err)) return kExitError;

  const size_t count = CountObjects(*exported);
  console.err << "exported " << count << (count == 1 ? " object" : " objects") << " in "
              << exported->sections.size() << (exported->sections.size() == 1 ? " section" : " sections");
  if (!written.empty()) console.err << " to " << (split ? options.split : options.out);
  console.err << "\n";
  return kExitOk;
}

}  // namespace hainfra::cli
