#include "providers/node/package_unison.h"

#include <set>

#include "providers/kinds/node_fanout.h"
#include "providers/node/dpkg_query.h"
#include "providers/pve/pveversion.h"

namespace hainfra::node {
namespace {

void AddNames(const Value& list, std::set<std::string>& out) {
  if (!list.is_array()) return;
  for (const Value& v : list) {
    if (v.is_string()) out.insert(v.get<std::string>());
  }
}

std::string Shown(const std::string& version) { return version.empty() ? "(not installed)" : version; }

Result<NodePackages> ReadOne(transport::SshClient& ssh, const std::string& node, const std::vector<std::string>& names) {
  NodePackages out;
  out.node = node;
  Result<transport::CommandResult> pveversion = ssh.Run(node, {"pveversion", "-v"});
  if (!pveversion) return Fail(pveversion.error());
  if (!pveversion->ok()) {
    return Fail(Code::kFailedPrecondition, "pveversion -v exited " + std::to_string(pveversion->exit_status));
  }
  Result<std::vector<pve::PackageVersion>> key = pve::ParsePveversion(pveversion->stdout_text);
  if (!key) return Fail(key.error());
  for (const pve::PackageVersion& p : *key) out.versions[p.name] = p.version;
  if (names.empty()) return out;
  Result<transport::CommandResult> query = ssh.Run(node, DpkgQueryArgv(names));
  if (!query) return Fail(query.error());
  if (!DpkgQuerySucceeded(query->exit_status)) {
    return Fail(Code::kFailedPrecondition, "dpkg-query exited " + std::to_string(query->exit_status));
  }
  Result<PackageStates> states = ParseDpkgQuery(query->stdout_text);
  if (!states) return Fail(states.error());
  for (const std::string& name : names) {
    auto it = states->find(name);
    out.versions[name] = it != states->end() && it->second.installed ? it->second.version : "";
  }
  return out;
}

}  // namespace

std::vector<std::string> BaselinePackageNames(const Spec& spec) {
  std::set<std::string> names;
  for (const Resource* baseline : spec.OfKind("baseline")) {
    auto packages = baseline->body.find("packages");
    if (packages == baseline->body.end() || !packages->is_object()) continue;
    AddNames(packages->value("present", Value()), names);
    AddNames(packages->value("absent", Value()), names);
    const Value versions = packages->value("versions", Value::object());
    for (auto it = versions.begin(); versions.is_object() && it != versions.end(); ++it) names.insert(it.key());
  }
  return {names.begin(), names.end()};
}

std::vector<NodePackages> ReadNodePackages(transport::SshClient& ssh, const std::vector<std::string>& nodes,
                                           const std::vector<std::string>& names) {
  auto results = providers::ForEachNode<NodePackages>(
      nodes, [&](const std::string& node) { return ReadOne(ssh, node, names); });
  std::vector<NodePackages> out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (results[i]) {
      out.push_back(std::move(*results[i]));
    } else {
      out.push_back(NodePackages{nodes[i], {}, results[i].error().message});
    }
  }
  return out;
}

UnisonReport CompareNodePackages(const std::vector<NodePackages>& nodes) {
  UnisonReport report;
  std::set<std::string> packages;
  for (const NodePackages& n : nodes) {
    report.nodes.push_back(n.node);
    if (!n.error.empty()) {
      report.unreadable.push_back(n.node + ": " + n.error);
      continue;
    }
    for (const auto& [name, version] : n.versions) packages.insert(name);
  }
  for (const std::string& name : packages) {
    UnisonDifference d{name, {}};
    std::set<std::string> seen;
    for (const NodePackages& n : nodes) {
      if (!n.error.empty()) continue;
      auto it = n.versions.find(name);
      const std::string version = it == n.versions.end() ? "" : it->second;
      d.versions[n.node] = version;
      seen.insert(version);
    }
    if (seen.size() == 1 && seen.begin()->empty()) continue;  // installed nowhere
    ++report.packages_compared;
    if (seen.size() > 1) report.differences.push_back(std::move(d));
  }
  return report;
}

std::string RenderUnisonText(const UnisonReport& report) {
  std::string out;
  for (const UnisonDifference& d : report.differences) {
    std::map<std::string, std::vector<std::string>> by_version;
    for (const auto& [node, version] : d.versions) by_version[version].push_back(node);
    out += d.package + ":";
    for (const auto& [version, nodes] : by_version) {
      std::string list;
      for (const std::string& n : nodes) list += (list.empty() ? "" : ",") + n;
      out += "  " + Shown(version) + " on " + list;
    }
    out += "\n";
  }
  for (const std::string& u : report.unreadable) out += "unreadable: " + u + "\n";
  out += std::to_string(report.nodes.size() - report.unreadable.size()) + " nodes, " +
         std::to_string(report.packages_compared) + " packages compared: " +
         (report.differences.empty() ? std::string("in unison")
                                     : std::to_string(report.differences.size()) + " differ") +
         (report.unreadable.empty() ? "" : ", " + std::to_string(report.unreadable.size()) + " nodes unreadable") + "\n";
  return out;
}

Value UnisonJson(const UnisonReport& report) {
  Value out = Value::object();
  out["nodes"] = report.nodes;
  out["unreadable"] = report.unreadable;
  out["packages_compared"] = report.packages_compared;
  out["in_unison"] = report.in_unison();
  Value differences = Value::array();
  for (const UnisonDifference& d : report.differences) {
    Value versions = Value::object();
    for (const auto& [node, version] : d.versions) versions[node] = version.empty() ? Value() : Value(version);
    differences.push_back({{"package", d.package}, {"versions", versions}});
  }
  out["differences"] = differences;
  return out;
}

}  // namespace hainfra::node
