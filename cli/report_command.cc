#include "cli/report_command.h"

#include <ostream>

#include "providers/node/package_unison.h"

namespace hainfra::cli {

int RunReportPackages(const Spec& spec, transport::SshClient* ssh, const ReportOptions& options, Console& console) {
  if (ssh == nullptr) {
    console.err << "error: the package report needs SSH access to the nodes\n";
    return kExitError;
  }
  std::vector<std::string> nodes;
  for (const Resource* node : spec.OfKind("node")) nodes.push_back(node->address.name);
  if (nodes.empty()) {
    console.err << "error: the spec declares no nodes\n";
    return kExitError;
  }
  const node::UnisonReport report =
      node::CompareNodePackages(node::ReadNodePackages(*ssh, nodes, node::BaselinePackageNames(spec)));
  if (options.json) {
    console.out << node::UnisonJson(report).dump(2) << "\n";
  } else {
    console.out << node::RenderUnisonText(report);
  }
  if (report.unreadable.size() == nodes.size()) return kExitError;
  return report.in_unison() ? kExitOk : kExitChanges;
}

}  // namespace hainfra::cli
