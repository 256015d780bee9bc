#include "providers/kinds/qdevice.h"

#include <charconv>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/corosync_rollout.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/qdevice_setup.h"
#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

constexpr const char* kQdeviceConfPath = "/etc/pve/corosync.conf";

FieldSpec QdeviceBodySpec() {
  FieldSpec body = schemas::Field("qdevice", FieldType::kObject, "the cluster's QDevice");
  // Another QNetd host needs its own CA's certificate on every node: a new setup, not an edit.
  FieldSpec address = schemas::Field("address", FieldType::kString, "the QNetd host");
  address.force_new = true;
  body.fields = {address,
                 schemas::Field("algorithm", FieldType::kString, "ffsplit or lms"),
                 schemas::Field("tls", FieldType::kString, "on, off or required"),
                 schemas::Field("votes", FieldType::kInt, "the QDevice's votes"),
                 schemas::Field("port", FieldType::kInt, "QNetd's TCP port")};
  return body;
}

std::optional<int> QdeviceParseInt(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

class QdeviceKind : public ResourceKind {
 public:
  explicit QdeviceKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "qdevice";
    traits_.order = order::kQdevice;
    traits_.body = QdeviceBodySpec();
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    bool absent = false;
    Value body = QdeviceDesiredBody(spec, absent);
    if (body.is_null()) return {};
    Resource r;
    for (const Resource* cluster : spec.OfKind("cluster")) {
      r.address = {"qdevice", cluster->address.name};
      r.where = cluster->LocationOf("/corosync/qdevice");
      // Field locations, so that a refused or changed field points at its line in the spec.
      for (const auto& [pointer, where] : cluster->locations) {
        if (pointer.starts_with("/corosync/qdevice/")) r.locations[pointer.substr(17)] = where;
      }
    }
    r.body = std::move(body);
    r.absent = absent;
    return {r};
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    if (desired.empty()) return std::vector<Observed>{};
    Result<Value> body = ObserveBody();
    if (!body) return Fail(body.error());
    if (body->is_null()) return std::vector<Observed>{};
    Observed o;
    o.address = desired.front().address;
    o.body = std::move(*body);
    o.version = plan::Fingerprint(o.body);
    return std::vector<Observed>{o};
  }

  Status Create(const Change& change) override { return SetUpQdevice(deps_, change.after); }
  Status Update(const Change& change) override { return ChangeQdevice(deps_, change.after); }
  Status Delete(const Change& change) override {
    (void)change;
    return RemoveQdevice(deps_);
  }

 private:
  // corosync.conf over SSH; without SSH (an API-only run) the answering node's qdevice status.
  Result<Value> ObserveBody() {
    if (deps_.ssh == nullptr || deps_.ssh->settings().addresses.empty()) {
      Result<Value> status = deps_.api->Get("/cluster/config/qdevice");
      if (!status) return Fail(WithContext(status.error(), "reading /cluster/config/qdevice"));
      return QdeviceObservedBodyFromApi(*status);
    }
    Result<std::string> node = CorosyncReadNode(deps_);
    if (!node) return Fail(node.error());
    Result<std::string> text = deps_.ssh->ReadFile(*node, kQdeviceConfPath);
    if (!text) return Fail(WithContext(text.error(), "reading " + std::string(kQdeviceConfPath) + " on " + *node));
    Result<pve::CorosyncSection> root = pve::ParseCorosyncConf(*text, kQdeviceConfPath);
    if (!root) return Fail(root.error());
    return QdeviceObservedBody(*root);
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

Value QdeviceDesiredBody(const Spec& spec, bool& absent) {
  absent = false;
  for (const Resource* cluster : spec.OfKind("cluster")) {
    const Value& corosync = cluster->body.value("corosync", Value::object());
    if (!corosync.is_object() || !corosync.contains("qdevice") || !corosync["qdevice"].is_object()) return nullptr;
    Value body = corosync["qdevice"];
    absent = body.value("state", "present") == "absent";
    body.erase("state");
    return body;
  }
  return nullptr;
}

QdeviceSettings QdeviceSettingsFor(const Value& desired, size_t node_count) {
  QdeviceSettings s;
  s.host = desired.value("address", "");
  s.algorithm = desired.value("algorithm", node_count % 2 == 1 ? "lms" : "ffsplit");
  s.tls = desired.value("tls", "on");
  if (desired.contains("votes") && desired["votes"].is_number_integer()) s.votes = desired["votes"].get<int>();
  else if (s.algorithm == "ffsplit") s.votes = 1;  // as pvecm writes it; lms needs corosync's own count
  if (desired.contains("port") && desired["port"].is_number_integer()) s.port = desired["port"].get<int>();
  return s;
}

Value QdeviceObservedBody(const pve::CorosyncSection& root) {
  for (const pve::CorosyncSection* quorum : root.Sections("quorum")) {
    for (const pve::CorosyncSection* device : quorum->Sections("device")) {
      Value body = Value::object();
      for (const pve::CorosyncSection* net : device->Sections("net")) {
        body["address"] = net->Get("host").value_or("");
        body["algorithm"] = net->Get("algorithm").value_or("ffsplit");  // corosync-qdevice's default
        body["tls"] = net->Get("tls").value_or("on");
        if (auto port = net->Get("port")) {
          if (auto p = QdeviceParseInt(*port)) body["port"] = *p;
        }
      }
      if (auto votes = device->Get("votes")) {
        if (auto v = QdeviceParseInt(*votes)) body["votes"] = *v;
      }
      if (!body.contains("address")) body["address"] = "";  // a model other than net: no QNetd host
      return body;
    }
  }
  return nullptr;
}

Value QdeviceObservedBodyFromApi(const Value& status) {
  if (!status.is_object() || !status.contains("QNetd host")) return nullptr;
  Value body = Value::object();
  std::string host = status.value("QNetd host", "");
  // "10.0.0.5:5403", "[fd00::5]:5403" or "fd00::5:5403" as corosync-qdevice-tool prints it.
  if (size_t colon = host.rfind(':'); colon != std::string::npos) {
    if (auto port = QdeviceParseInt(host.substr(colon + 1))) {
      if (*port != 5403) body["port"] = *port;
      host = host.substr(0, colon);
    }
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  body["address"] = host;
  const std::string algorithm = status.value("Algorithm", "");
  if (algorithm == "Fifty-Fifty split") body["algorithm"] = "ffsplit";
  else if (algorithm == "LMS") body["algorithm"] = "lms";
  return body;
}

pve::CorosyncSection WithQdevice(pve::CorosyncSection root, const QdeviceSettings& settings) {
  root = WithoutQdevice(std::move(root));
  pve::CorosyncSection& quorum = root.Child("quorum");
  pve::CorosyncSection& device = quorum.Child("device");
  device.Set("model", "net");
  if (settings.votes) device.Set("votes", std::to_string(*settings.votes));
  pve::CorosyncSection& net = device.Child("net");
  net.Set("tls", settings.tls);
  net.Set("host", settings.host);
  if (settings.port) net.Set("port", std::to_string(*settings.port));
  net.Set("algorithm", settings.algorithm);
  return root;
}

pve::CorosyncSection WithoutQdevice(pve::CorosyncSection root) {
  for (pve::CorosyncSection* quorum : root.Sections("quorum")) {
    std::erase_if(quorum->items, [](const pve::CorosyncItem& i) {
      return i.type == pve::CorosyncItem::Type::kSection && i.section->name == "device";
    });
  }
  return root;
}

std::unique_ptr<ResourceKind> MakeQdeviceKind(KindDeps& deps) { return std::make_unique<QdeviceKind>(deps); }

}  // namespace hainfra::providers
