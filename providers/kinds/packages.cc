#include "providers/kinds/packages.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "providers/kinds/baseline_objects.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/node_fanout.h"
#include "providers/kinds/packages_plan.h"
#include "providers/node/apt_get.h"
#include "providers/node/dpkg_query.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

// An apt transaction may download and configure for a long time; reads are quick.
constexpr std::chrono::minutes kTransactionTimeout{30};
constexpr std::chrono::minutes kIndexTimeout{5};

// The last lines of a command's output, for error messages.
std::string Tail(const std::string& text, size_t lines = 8) {
  size_t pos = text.size();
  while (pos > 0 && (text[pos - 1] == '\n' || text[pos - 1] == ' ')) --pos;
  size_t start = pos;
  for (size_t n = 0; start > 0 && n < lines; ++n) {
    start = text.rfind('\n', start - 1);
    if (start == std::string::npos) {
      start = 0;
      break;
    }
  }
  std::string tail = text.substr(start, pos - start);
  while (!tail.empty() && tail.front() == '\n') tail.erase(0, 1);
  return tail;
}

class PackagesKind : public ResourceKind {
 public:
  explicit PackagesKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "packages";
    traits_.order = order::kPackages;
    traits_.body = PackagesBody();
    traits_.rolling = true;
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    std::vector<Resource> out = BaselineObjects(spec, {"packages", "packages", "", DesiredPackages});
    // `held` comes from `hold` and the pins: point its diagnostics at whichever the user wrote.
    for (Resource& r : out) {
      for (const char* source : {"/hold", "/versions"}) {
        if (auto it = r.locations.find(source); it != r.locations.end()) {
          r.locations.emplace("/held", it->second);
          break;
        }
      }
    }
    return out;
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    const ByNode grouped = DesiredByNode(desired);
    const std::vector<std::string>& nodes = grouped.nodes;
    if (!nodes.empty() && deps_.ssh == nullptr) return Fail(Code::kFailedPrecondition, "packages need SSH access to the nodes");
    auto results = ForEachNode<Observed>(nodes, [&](const std::string& node) -> Result<Observed> {
      const Value& body = grouped.objects.at(node)->body;
      Result<node::PackageStates> states = Query(node, PackageNames(body));
      if (!states) return Fail(states.error());
      Observed o;
      o.address = Address{"packages", node};
      o.body = ObservedPackages(body, *states);
      o.body["node"] = node;
      return o;
    });
    return CollectNodes(nodes, std::move(results));
  }

  StepScope Scope(const Value& body) const override { return {BaselineNode(body), ""}; }

  Status Create(const Change& change) override { return Converge(change); }
  Status Update(const Change& change) override { return Converge(change); }
  Status Delete(const Change& change) override {
    return Fail(Code::kFailedPrecondition,
                change.address.ToString() + ": a package baseline is never deleted (declare packages `absent`)");
  }

 private:
  Result<node::PackageStates> Query(const std::string& node, const std::vector<std::string>& names) {
    if (names.empty()) return node::PackageStates{};
    Result<transport::CommandResult> r = deps_.ssh->Run(node, node::DpkgQueryArgv(names));
    if (!r) return Fail(r.error());
    if (!node::DpkgQuerySucceeded(r->exit_status)) {
      return Fail(Code::kFailedPrecondition, "dpkg-query failed (exit " + std::to_string(r->exit_status) +
                                                 "): " + Tail(r->stderr_text));
    }
    return node::ParseDpkgQuery(r->stdout_text);
  }

  // Runs argv; a non-zero exit becomes kFailedPrecondition naming `what` with the tail of its output.
  Result<transport::CommandResult> Must(const std::string& node, const std::vector<std::string>& argv,
                                        const std::string& what, std::chrono::milliseconds timeout) {
    transport::RunOptions options;
    options.timeout = timeout;
    Result<transport::CommandResult> r = deps_.ssh->Run(node, argv, options);
    if (!r) return Fail(WithContext(r.error(), what));
    if (!r->ok()) {
      const std::string output = Tail(r->stderr_text.empty() ? r->stdout_text : r->stderr_text);
      return Fail(Code::kFailedPrecondition, what + " failed (exit " + std::to_string(r->exit_status) + "): " + output);
    }
    return r;
  }

  // The needed versions the repositories do not offer, as messages; empty when everything is there.
  Result<std::vector<std::string>> Unavailable(const std::string& node,
                                               const std::vector<std::pair<std::string, std::string>>& needed) {
    std::vector<std::string> names;
    for (const auto& [name, version] : needed) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    Result<transport::CommandResult> r = deps_.ssh->Run(node, node::AptCacheMadisonArgv(names));
    if (!r) return Fail(WithContext(r.error(), "apt-cache madison"));
    const auto offered = node::ParseMadison(r->stdout_text);
    std::vector<std::string> missing;
    for (const auto& [name, version] : needed) {
      auto it = offered.find(name);
      if (it == offered.end()) {
        missing.push_back(name + " is not available from any configured repository");
      } else if (!version.empty() && std::find(it->second.begin(), it->second.end(), version) == it->second.end()) {
        missing.push_back(name + " " + version + " is not available (available: " + pve::JoinList(it->second, ", ") + ")");
      }
    }
    return missing;
  }

  // Level-triggered: read the node's packages now, compute the one transaction that makes them match, check
  // that everything it installs exists (refreshing the index once if not), release our holds, simulate,
  // run, hold, and read again to confirm. Nothing changes unless the whole transaction can run.
  Status Converge(const Change& change) {
    const std::string node = BaselineNode(change.after);
    const std::string address = change.address.ToString();
    if (deps_.ssh == nullptr) return Fail(Code::kFailedPrecondition, address + ": packages need SSH access");
    const std::vector<std::string> names = PackageNames(change.after);
    Result<node::PackageStates> states = Query(node, names);
    if (!states) return Fail(WithContext(states.error(), address));
    const PackageActions actions = PlanPackages(change.after, *states);
    if (actions.empty()) return Ok();

    if (!actions.needed.empty()) {
      Result<std::vector<std::string>> missing = Unavailable(node, actions.needed);
      if (!missing) return Fail(WithContext(missing.error(), address));
      if (!missing->empty()) {  // an unknown version may only mean an old index: refresh it once
        if (auto updated = Must(node, node::AptGetUpdateArgv(), "apt-get update", kIndexTimeout); !updated) {
          return Fail(WithContext(updated.error(), address));
        }
        missing = Unavailable(node, actions.needed);
        if (!missing) return Fail(WithContext(missing.error(), address));
        if (!missing->empty()) {
          return Fail(Code::kFailedPrecondition, address + ": nothing was changed: " + pve::JoinList(*missing, "; "));
        }
      }
    }

    if (!actions.unhold.empty()) {
      if (auto r = Must(node, node::AptMarkArgv("unhold", actions.unhold), "apt-mark unhold", kIndexTimeout); !r) {
        return Fail(WithContext(r.error(), address));
      }
    }
    if (Status s = Transaction(node, actions); !s) {
      // Put back the holds released above, so a refused transaction leaves the node as it was.
      if (!actions.unhold.empty()) (void)deps_.ssh->Run(node, node::AptMarkArgv("hold", actions.unhold));
      return Fail(WithContext(s.error(), address));
    }
    if (!actions.hold.empty()) {
      if (auto r = Must(node, node::AptMarkArgv("hold", actions.hold), "apt-mark hold", kIndexTimeout); !r) {
        return Fail(WithContext(r.error(), address));
      }
    }

    Result<node::PackageStates> after = Query(node, names);
    if (!after) return Fail(WithContext(after.error(), address));
    const PackageActions left = PlanPackages(change.after, *after);
    if (!left.empty()) {
      return Fail(Code::kInternal, address + ": apt succeeded but the node still differs: " +
                                       pve::JoinList(left.requests.empty() ? left.hold : left.requests, " "));
    }
    return Ok();
  }

  // Simulates the transaction (nothing changes; refused when it would remove a package the baseline does not
  // declare absent), then runs it.
  Status Transaction(const std::string& node, const PackageActions& actions) {
    if (actions.requests.empty()) return Ok();
    Result<transport::CommandResult> simulated =
        Must(node, node::AptGetInstallArgv(actions.requests, true), "apt-get --simulate", kIndexTimeout);
    if (!simulated) return Fail(simulated.error());
    std::vector<std::string> undeclared;
    for (const std::string& name : SimulatedRemovals(simulated->stdout_text)) {
      if (std::find(actions.removals.begin(), actions.removals.end(), name) == actions.removals.end()) {
        undeclared.push_back(name);
      }
    }
    if (!undeclared.empty()) {
      return Fail(Code::kFailedPrecondition, "nothing was changed: `apt-get install " + pve::JoinList(actions.requests, " ") +
                                                 "` would also remove " + pve::JoinList(undeclared, ", ") +
                                                 ", which the baseline does not declare absent");
    }
    Result<transport::CommandResult> run =
        Must(node, node::AptGetInstallArgv(actions.requests, false), "apt-get install", kTransactionTimeout);
    if (!run) return Fail(run.error());
    return Ok();
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

std::unique_ptr<ResourceKind> MakePackagesKind(KindDeps& deps) { return std::make_unique<PackagesKind>(deps); }

}  // namespace hainfra::providers
