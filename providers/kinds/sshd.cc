#include "providers/kinds/sshd.h"

#include <cctype>
#include <map>
#include <random>

#include "hainfra/export_part.h"
#include "providers/kinds/baseline_objects.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/node_fanout.h"
#include "providers/kinds/sshd_apply.h"
#include "providers/node/sshd_config.h"
#include "providers/pve/text.h"

namespace hainfra::providers {
namespace {

// { settings: map keyword -> value }, owned whole: a keyword in hainfra's drop-in that the baseline does not
// declare is drift (the drop-in is hainfra's file). Keywords set elsewhere are never compared.
FieldSpec SshdBody() {
  FieldSpec value;
  value.name = "value";
  value.type = FieldType::kString;
  FieldSpec settings;
  settings.name = "settings";
  settings.type = FieldType::kMap;
  settings.doc = "sshd_config keyword -> value";
  settings.element.push_back(value);
  FieldSpec body;
  body.name = "sshd";
  body.type = FieldType::kObject;
  body.fields.push_back(settings);
  return body;
}

// A marker no file holds: sections of the snapshot command's output start with it.
std::string Marker() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string marker = "@@hainfra-";
  for (int i = 0; i < 24; ++i) marker += kHex[random() % 16];
  return marker + "@@";
}

const Value& Settings(const Value& body) {
  static const Value kEmpty = Value::object();
  auto it = body.is_object() ? body.find("settings") : body.end();
  return it != body.end() && it->is_object() ? *it : kEmpty;
}

class SshdKind : public ResourceKind, public ExportsParts {
 public:
  explicit SshdKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "sshd";
    traits_.order = order::kSshd;
    traits_.body = SshdBody();
    traits_.rolling = true;
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    return BaselineObjects(spec, {"sshd", "sshd", "/settings", [](const Value& sshd) {
                                    Value body = Value::object();
                                    body["settings"] = sshd;
                                    return body;
                                  }});
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    const ByNode grouped = DesiredByNode(desired);
    const std::vector<std::string>& nodes = grouped.nodes;
    if (!nodes.empty() && deps_.ssh == nullptr) return Fail(Code::kFailedPrecondition, "sshd needs SSH access to the nodes");
    auto results = ForEachNode<Observed>(nodes, [&](const std::string& node) -> Result<Observed> {
      Result<node::SshdAnalysis> analysis = Read(node);
      if (!analysis) return Fail(analysis.error());
      return ObservedOf(node, Settings(grouped.objects.at(node)->body), *analysis);
    });
    return CollectNodes(nodes, std::move(results));
  }

  void Normalize(Value& body) const override {
    auto it = body.is_object() ? body.find("settings") : body.end();
    if (it == body.end() || !it->is_object()) return;
    for (auto s = it->begin(); s != it->end(); ++s) {
      if (s.value().is_string()) s.value() = node::NormalizeSshdValue(s.key(), s.value().get<std::string>());
    }
  }

  // Values that are unsafe to write are refused at their line; so are settings the drop-in could not make
  // effective (not included, or set first by another file) — writing them would change nothing.
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override {
    for (FieldChange& f : change.fields) {
      const std::string keyword = KeywordOf(f.path);
      if (keyword.empty() || f.after.is_null()) continue;
      const Value& value = Settings(desired.body).value(keyword, Value());
      if (!value.is_string()) continue;
      if (Status ok = node::CheckSshdSetting(keyword, value.get<std::string>()); !ok) {
        f.refused = ok.error().message;
        continue;
      }
      const Value& earlier = observed.body.value("earlier", Value::object());
      if (auto e = earlier.find(pve::Lower(keyword)); e != earlier.end() && e->is_string()) {
        f.refused = "set first in " + e->get<std::string>() +
                    " (sshd keeps the first value it reads): the drop-in's value would not take effect";
      }
    }
    if (!change.fields.empty() && !observed.body.value("included", false)) {
      return Fail(Code::kFailedPrecondition, observed.body.value("not_included", std::string("the drop-in is not read")) +
                                                 " — add `Include " + std::string(node::kSshdDropInDir) +
                                                 "/*.conf` at the top of " + node::kSshdMainConfig);
    }
    return Ok();
  }

  StepScope Scope(const Value& body) const override { return {BaselineNode(body), ""}; }

  // `hainfra export`: the settings of each reachable member's hainfra drop-in as a baseline's `sshd` (the
  // exporter folds the nodes' baselines into one when they agree). Without SSH, or with no address for any
  // node, there is nothing to read.
  Result<std::vector<ExportPart>> ExportParts() override {
    std::vector<ExportPart> parts;
    if (deps_.ssh == nullptr || deps_.ssh->settings().addresses.empty()) return parts;
    std::vector<std::string> nodes;
    for (const auto& [node, address] : deps_.ssh->settings().addresses) nodes.push_back(node);
    auto results = ForEachNode<Value>(nodes, [&](const std::string& node) -> Result<Value> {
      Result<node::SshdAnalysis> analysis = Read(node);
      if (!analysis) return Fail(WithContext(analysis.error(), "reading sshd's configuration on " + node));
      Value settings = Value::object();
      for (const auto& [keyword, value] : analysis->drop_in) settings[keyword] = value;
      return settings;
    });
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (!results[i]) return Fail(results[i].error());
      if (!results[i]->empty()) parts.push_back(ExportPart{"baseline", "", nodes[i], Value{{"sshd", *results[i]}}});
    }
    return parts;
  }

  Status Create(const Change& change) override { return Write(change); }
  Status Update(const Change& change) override { return Write(change); }
  Status Delete(const Change& change) override {
    return Fail(Code::kFailedPrecondition, change.address.ToString() + ": the sshd drop-in is never deleted");
  }

 private:
  Result<node::SshdAnalysis> Read(const std::string& node) {
    const std::string marker = Marker();
    Result<transport::CommandResult> r = deps_.ssh->Run(node, node::SshdSnapshotArgv(marker));
    if (!r) return Fail(r.error());
    Result<node::SshdSnapshot> snapshot = node::ParseSshdSnapshot(r->stdout_text, marker);
    if (!snapshot) return Fail(snapshot.error());
    return node::AnalyzeSshd(*snapshot);
  }

  static Observed ObservedOf(const std::string& node, const Value& desired, const node::SshdAnalysis& a) {
    Observed o;
    o.address = Address{"sshd", node};
    o.body = Value::object();
    o.body["settings"] = node::ObservedSshdSettings(desired, a);
    o.body["node"] = node;
    o.body["included"] = a.included;
    o.body["not_included"] = a.not_included;
    // Declared keywords another file sets before the drop-in is read: writing them would not take effect.
    Value earlier = Value::object();
    for (auto it = desired.begin(); it != desired.end(); ++it) {
      auto first = a.first.find(pve::Lower(it.key()));
      if (first == a.first.end() || first->second.file == node::kSshdDropIn) continue;
      if (a.included && first->second.order < a.drop_in_order) earlier[pve::Lower(it.key())] = first->second.Where();
    }
    o.body["earlier"] = earlier;
    return o;
  }

  // "settings[PermitRootLogin]" -> "PermitRootLogin".
  static std::string KeywordOf(const std::string& path) {
    const std::string prefix = "settings[";
    if (!path.starts_with(prefix) || !path.ends_with("]")) return "";
    return path.substr(prefix.size(), path.size() - prefix.size() - 1);
  }

  Status Write(const Change& change) {
    const std::string node = BaselineNode(change.after);
    if (deps_.ssh == nullptr) return Fail(Code::kFailedPrecondition, change.address.ToString() + ": needs SSH access");
    const Value& settings = Settings(change.after);
    for (auto it = settings.begin(); it != settings.end(); ++it) {  // never write what was not checked
      const std::string value = it.value().is_string() ? it.value().get<std::string>() : std::string();
      if (Status ok = node::CheckSshdSetting(it.key(), value); !ok) {
        return Fail(WithContext(ok.error(), change.address.ToString()));
      }
    }
    const std::string content = node::RenderSshdDropIn(settings, change.after.value("baseline", std::string("?")));
    Status applied = ApplySshdDropIn(*deps_.ssh, node, node::kSshdDropIn, content);
    if (!applied) return Fail(WithContext(applied.error(), change.address.ToString()));
    return Ok();
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

std::unique_ptr<ResourceKind> MakeSshdKind(KindDeps& deps) { return std::make_unique<SshdKind>(deps); }

}  // namespace hainfra::providers
