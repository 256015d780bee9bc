#include "providers/kinds/node_reboot_kind.h"

#include <chrono>
#include <map>

#include "engine/enforce/calendar.h"
#include "engine/enforce/time_zone.h"
#include "engine/plan/fingerprint.h"
#include "providers/kinds/baseline_objects.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/packages_plan.h"
#include "providers/maintenance/api_relay.h"
#include "providers/maintenance/rolling_reboot.h"
#include "providers/node/dpkg_query.h"
#include "providers/status/cluster_report.h"
#include "providers/transport/api_path.h"
#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

FieldSpec NodeRebootBody() {
  FieldSpec body = schemas::Field("node_reboot", FieldType::kObject, "a reboot a package change needs");
  body.fields = {schemas::Field("reboot_pending", FieldType::kBool,
                                "the node must reboot to run what its packages installed")};
  return body;
}

// The baseline's `reboot` part as the body's settings (`reboot_pending: false` is what is wanted).
Value NodeRebootDesired(const Value& part) {
  Value body{{"reboot_pending", false}, {"when", part.value("when", "kernel")}};
  if (part.contains("window")) body["window"] = part["window"];
  if (part.contains("timezone")) body["timezone"] = part["timezone"];
  return body;
}

// Why a reboot is withheld now (`when: never`, outside the window), or "" when it may run.
std::string NodeRebootWithheld(const Value& body) {
  if (body.value("when", "kernel") == "never") return "withheld: `when: never` (reboot with `hainfra reboot`)";
  if (!body.contains("window")) return "";
  const std::string window = body.value("window", "");
  const std::string zone_name = body.value("timezone", "UTC");
  Result<enforce::Calendar> calendar = enforce::Calendar::Parse(window);
  if (!calendar) return "withheld: the reboot window `" + window + "` does not parse: " + calendar.error().message;
  Result<enforce::TimeZone> zone = enforce::TimeZone::Load(zone_name);
  if (!zone) return "withheld: the reboot window's time zone: " + zone.error().message;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  if (calendar->Contains(zone->ToLocal(now))) return "";
  return "withheld: outside the reboot window `" + window + "` (" + zone_name + ")";
}

class NodeRebootKind : public ResourceKind {
 public:
  explicit NodeRebootKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "node_reboot";
    traits_.order = order::kNodeReboot;
    traits_.body = NodeRebootBody();
    traits_.rolling = true;  // one node at a time, with the health gate between nodes
  }

  const KindTraits& traits() const override { return traits_; }

  // One object per node whose baseline declares `reboot`; the baseline's packages ride along (not compared)
  // so Observe can tell whether this run's package transaction needs a reboot.
  std::vector<Resource> Desired(const Spec& spec) const override {
    std::vector<Resource> out = BaselineObjects(spec, {"reboot", "node_reboot", "", NodeRebootDesired});
    const std::vector<Resource> packages = BaselineObjects(spec, {"packages", "packages", "", DesiredPackages});
    const ByNode packages_by_node = DesiredByNode(packages);  // points into `packages`
    for (Resource& r : out) {
      if (auto it = packages_by_node.objects.find(BaselineNode(r.body)); it != packages_by_node.objects.end()) {
        Value wanted = it->second->body;
        wanted.erase("node");
        wanted.erase("baseline");
        r.body["packages"] = std::move(wanted);
      }
      if (auto it = r.locations.find("/when"); it != r.locations.end()) r.locations.emplace("/reboot_pending", it->second);
    }
    return out;
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    std::vector<Observed> out;
    for (const Resource& d : desired) {
      const std::string node = BaselineNode(d.body);
      Result<std::string> why = PendingReason(node, d.body);
      if (!why) return Fail(WithContext(why.error(), d.address.ToString()));
      Observed o;
      o.address = d.address;
      o.body = Value{{"reboot_pending", !why->empty()}, {"node", node}};
      if (!why->empty()) o.body["why"] = *why;
      if (std::string withheld = NodeRebootWithheld(d.body); !withheld.empty() && !why->empty()) {
        o.body["withheld"] = withheld;
      }
      o.version = plan::Fingerprint(Value{{"reboot_pending", !why->empty()}});
      out.push_back(std::move(o));
    }
    return out;
  }

  // The plan says why the node reboots and how. A withheld reboot (`when: never`, outside the window) is no
  // change of this run: it is held back — shown with why, never applied, not drift — until the window opens.
  //   pending, may run now  -> update (reboots)
  //   pending, withheld     -> no-op, held: "reboot pending (why); withheld: …"
  //   not pending           -> no-op
  Status Review(const Resource&, const Observed& observed, Change& change) const override {
    if (change.fields.empty()) return Ok();
    const std::string why = observed.body.value("why", "");
    if (observed.body.contains("withheld")) {
      change.fields.clear();
      change.held = "reboot pending: " + why + "; " + observed.body.value("withheld", "");
      return Ok();
    }
    change.reason = why + "; rolling reboot: quorum gate, HA maintenance, reboot, wait until back, leave maintenance";
    return Ok();
  }

  StepScope Scope(const Value& body) const override { return {BaselineNode(body), ""}; }

  Status Create(const Change& change) override { return Reboot(change); }
  Status Update(const Change& change) override { return Reboot(change); }
  Status Delete(const Change&) override { return Ok(); }  // never planned: only declared nodes are observed

 private:
  void Say(const std::string& line) const { deps_.api->Log(transport::LogLevel::kProgress, line); }

  // Why `node` must reboot, or "" when it need not.
  Result<std::string> PendingReason(const std::string& node, const Value& body) {
    Result<Value> versions = deps_.api->Get(transport::ApiPath({"nodes", node, "apt", "versions"}));
    if (!versions) return Fail(WithContext(versions.error(), "reading the packages of " + node));
    Result<status::NodePackageView> view = status::ReadAptVersions(*versions);
    if (!view) return Fail(view.error());
    if (!view->running_kernel.empty() && !view->newest_kernel.empty() && view->running_kernel != view->newest_kernel) {
      return "kernel " + view->running_kernel + " running, " + view->newest_kernel + " installed";
    }
    // This run's package transaction, when the node's baseline declares packages and SSH reaches the node.
    if (!body.contains("packages") || deps_.ssh == nullptr || !deps_.ssh->settings().addresses.contains(node)) {
      return std::string();
    }
    const std::vector<std::string> names = PackageNames(body["packages"]);
    if (names.empty()) return std::string();
    Result<transport::CommandResult> query = deps_.ssh->Run(node, node::DpkgQueryArgv(names));
    if (!query) return Fail(WithContext(query.error(), "dpkg-query on " + node));
    if (!node::DpkgQuerySucceeded(query->exit_status)) {
      return Fail(Code::kFailedPrecondition, "dpkg-query on " + node + " failed (exit " +
                                                 std::to_string(query->exit_status) + ")");
    }
    Result<node::PackageStates> states = node::ParseDpkgQuery(query->stdout_text);
    if (!states) return Fail(WithContext(states.error(), "dpkg-query on " + node));
    const PackageActions actions = PlanPackages(body["packages"], *states);
    for (const std::string& request : actions.requests) {
      if (InstallsKernel(request)) return "the packages install " + request;
    }
    if (body.value("when", "kernel") == "always" && !actions.empty()) return std::string("the packages change");
    return std::string();
  }

  // The HA manager's commands for `node`, sent through another node that stays up.
  Result<maintenance::CrmCommand> CrmFor(const std::string& node) {
    if (deps_.crm_for) return maintenance::CrmCommand(deps_.crm_for(node));
    if (deps_.ssh != nullptr) {
      if (std::optional<std::string> relay = maintenance::CrmRelayNode(*deps_.ssh, "", node)) {
        return maintenance::SshCrmCommand(*deps_.ssh, *relay);
      }
    }
    return Fail(Code::kFailedPrecondition, "HA node maintenance is an `ha-manager crm-command`, sent over SSH "
                                           "through another node, and no other node has an SSH address");
  }

  Status Reboot(const Change& change) {
    const std::string node = BaselineNode(change.after);
    const std::string address = change.address.ToString();
    if (std::string withheld = NodeRebootWithheld(change.after); !withheld.empty()) {
      Say(address + ": reboot " + withheld);
      return Ok();
    }
    // The plan may have predicted a kernel the package step did not install after all: read again.
    if (change.after.value("when", "kernel") == "kernel") {
      Value kernel_only = change.after;
      kernel_only.erase("packages");
      Result<std::string> why = PendingReason(node, kernel_only);
      if (!why) return Fail(WithContext(why.error(), address));
      if (why->empty()) {
        Say(address + ": the newest installed kernel runs: no reboot needed");
        return Ok();
      }
    }
    Result<maintenance::CrmCommand> crm = CrmFor(node);
    if (!crm) return Fail(WithContext(crm.error(), address));
    maintenance::RollOptions options;
    options.maintenance.progress = [this](const std::string& line) { Say(line); };
    const maintenance::CrmCommand command = *crm;
    maintenance::ApiRelay relay(*deps_.api, maintenance::NodeEndpointsFromEnvironment());
    options.api_for = [&relay](const std::string& rebooting) { return relay.For(rebooting); };
    Status rolled = maintenance::RollingReboot(
        *deps_.api, [&command](const std::string&) { return command; }, {node}, options);
    if (!rolled) return Fail(WithContext(rolled.error(), address));
    return Ok();
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

bool InstallsKernel(const std::string& request) {
  if (request.empty() || request.back() == '-') return false;
  const std::string name = request.substr(0, request.find('='));
  if (name == "proxmox-kernel-helper" || name == "pve-kernel-helper") return false;
  for (const char* prefix : {"proxmox-kernel-", "pve-kernel-", "linux-image-"}) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

std::unique_ptr<ResourceKind> MakeNodeRebootKind(KindDeps& deps) { return std::make_unique<NodeRebootKind>(deps); }

}  // namespace hainfra::providers
