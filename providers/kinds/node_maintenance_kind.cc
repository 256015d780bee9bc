#include "providers/kinds/node_maintenance_kind.h"

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/maintenance/node_maintenance.h"
#include "providers/safety/cluster_health.h"
#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

FieldSpec MaintenanceBodySpec() {
  FieldSpec body = schemas::Field("node_maintenance", FieldType::kObject, "HA node maintenance");
  body.fields = {schemas::Field("maintenance", FieldType::kBool, "the node is in HA maintenance mode")};
  return body;
}

class NodeMaintenanceKind : public ResourceKind {
 public:
  explicit NodeMaintenanceKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "node_maintenance";
    traits_.order = order::kNodeMaintenance;
    traits_.body = MaintenanceBodySpec();
    traits_.rolling = true;  // one node at a time, with the health gate between nodes
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    std::vector<Resource> out;
    for (const Resource* node : spec.OfKind("node")) {
      if (node->absent || !node->body.contains("maintenance")) continue;
      Resource r;
      r.address = {traits_.name, node->address.name};
      r.where = node->LocationOf("/maintenance");
      // `node` is not compared (the body's FieldSpec leaves it out): it tells the executor where the step works.
      r.body = Value{{"maintenance", node->body["maintenance"].is_boolean() && node->body["maintenance"].get<bool>()},
                     {"node", node->address.name}};
      out.push_back(std::move(r));
    }
    return out;
  }

  // The LRM's mode as the HA manager reports it; a node it does not list (standalone) is not in maintenance.
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    std::vector<Observed> out;
    if (desired.empty()) return out;
    for (const Resource& d : desired) {
      Result<std::string> lrm = maintenance::LrmState(*deps_.api, d.address.name);
      if (!lrm) return Fail(WithContext(lrm.error(), "reading the HA manager's status"));
      Observed o;
      o.address = d.address;
      o.body = Value{{"maintenance", *lrm == "maintenance"}, {"node", d.address.name}};
      o.version = plan::Fingerprint(o.body);
      out.push_back(std::move(o));
    }
    return out;
  }

  StepScope Scope(const Value& body) const override {
    return {body.is_object() ? body.value("node", "") : std::string(), ""};
  }

  Status Create(const Change& change) override { return Apply(change); }
  Status Update(const Change& change) override { return Apply(change); }
  Status Delete(const Change&) override { return Ok(); }  // never planned: only declared nodes are observed

 private:
  Status Apply(const Change& change) {
    const std::string node = change.address.name;
    if (deps_.ssh == nullptr || !deps_.ssh->settings().addresses.contains(node)) {
      return Fail(Code::kFailedPrecondition, "node_maintenance/" + node +
                                                 ": HA node maintenance is an `ha-manager crm-command`, sent over "
                                                 "SSH, and the node has no SSH address");
    }
    maintenance::CrmCommand crm = maintenance::SshCrmCommand(*deps_.ssh, node);
    maintenance::MaintenanceOptions options;
    options.progress = [this](const std::string& line) { deps_.api->Log(transport::LogLevel::kProgress, line); };
    const bool enter = change.after.value("maintenance", false);
    return enter ? maintenance::EnterMaintenance(*deps_.api, crm, node, options)
                 : maintenance::ExitMaintenance(*deps_.api, crm, node, options);
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

std::unique_ptr<ResourceKind> MakeNodeMaintenanceKind(KindDeps& deps) {
  return std::make_unique<NodeMaintenanceKind>(deps);
}

}  // namespace hainfra::providers
