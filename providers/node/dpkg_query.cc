#include "providers/node/dpkg_query.h"
#include "providers/pve/text.h"

#include <sstream>

namespace hainfra::node {
namespace {

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}


}  // namespace

std::vector<std::string> DpkgQueryArgv(const std::vector<std::string>& packages) {
  // dpkg-query expands \t and \n in the format itself; ${Status} is "selection flag status".
  std::vector<std::string> argv = {"dpkg-query", "-W", "-f", "${Package}\\t${Version}\\t${Status}\\n", "--"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  return argv;
}

bool DpkgQuerySucceeded(int exit_status) { return exit_status == 0 || exit_status == 1; }

Result<PackageStates> ParseDpkgQuery(std::string_view text) {
  PackageStates out;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitTabs(line);
    const std::vector<std::string> status = fields.size() == 3 ? pve::Words(fields[2]) : std::vector<std::string>{};
    if (fields.size() != 3 || fields[0].empty() || status.size() != 3) {
      return Fail(Code::kInternal, "dpkg-query output line " + std::to_string(line_number) + " is not `name\\tversion\\t"
                                   "selection flag status`: " + std::string(line.substr(0, 120)));
    }
    PackageState state;
    state.version = fields[1];
    state.held = status[0] == "hold";
    state.status = status[2];
    state.installed = status[2] == "installed";
    auto [it, inserted] = out.emplace(fields[0], state);
    if (!inserted && state.installed && !it->second.installed) it->second = state;
    if (!inserted && state.held) it->second.held = true;
  }
  return out;
}

}  // namespace hainfra::node
