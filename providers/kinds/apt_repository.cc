#include "providers/kinds/apt_repository.h"

#include <algorithm>
#include <set>

#include "hainfra/export_part.h"
#include "providers/kinds/baseline_objects.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/node_fanout.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/apt_repositories.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

// Each write changes the digest, so one write per round and a fresh read before the next; a node converges
// in (changes + 1) rounds. The bound only stops a loop when Proxmox never reports what was written.
constexpr int kMaxRounds = 32;

FieldSpec AptBody() {
  FieldSpec body;
  body.name = "apt";
  body.type = FieldType::kObject;
  const FieldSpec baseline = SectionBody("baseline");  // kept alive: FindField points into it
  if (const FieldSpec* apt = FindField(baseline, "apt")) body.fields = apt->fields;
  return body;
}

std::vector<std::string> StringList(const Value& body, const char* key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || !it->is_array()) return out;
  for (const Value& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The observed body in the spec's shape: which handles are enabled, which are not (configured but
// disabled, or not configured at all — both satisfy `disable`), plus what this release offers (for Review).
Value ObservedBody(const std::string& node, const pve::AptRepositories& repos) {
  std::set<std::string> enabled, disabled;
  std::set<std::string> all(pve::KnownRepositoryHandles().begin(), pve::KnownRepositoryHandles().end());
  all.insert(repos.offered.begin(), repos.offered.end());
  for (const std::string& handle : all) (repos.Enabled(handle) ? enabled : disabled).insert(handle);
  Value body = Value::object();
  body["repositories"] = enabled;
  body["disable"] = disabled;
  body["offered"] = repos.offered;
  body["node"] = node;
  return body;
}

class AptRepositoryKind : public ResourceKind, public ExportsParts {
 public:
  explicit AptRepositoryKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "apt";
    traits_.order = order::kAptRepository;
    traits_.body = AptBody();
    traits_.rolling = true;
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    return BaselineObjects(spec, {"apt", "apt", "", [](const Value& apt) { return apt; }});
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    std::vector<std::string> nodes;
    for (const Resource& r : desired) nodes.push_back(r.address.name);
    auto results = ForEachNode<Observed>(nodes, [this](const std::string& node) -> Result<Observed> {
      Result<pve::AptRepositories> repos = Read(node);
      if (!repos) return Fail(repos.error());
      Observed o;
      o.address = Address{"apt", node};
      o.body = ObservedBody(node, *repos);
      o.version = repos->digest;
      return o;
    });
    return CollectNodes(nodes, std::move(results));
  }

  // A handle this release does not offer cannot be enabled (Proxmox would refuse the PUT).
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override {
    const std::vector<std::string> offered = StringList(observed.body, "offered");
    if (offered.empty()) return Ok();
    for (FieldChange& f : change.fields) {
      if (f.path != "repositories") continue;
      for (const std::string& handle : StringList(desired.body, "repositories")) {
        if (std::find(offered.begin(), offered.end(), handle) != offered.end()) continue;
        std::string list;
        for (const std::string& o : offered) list += (list.empty() ? "" : ", ") + o;
        f.refused = "repository `" + handle + "` is not offered by Proxmox VE " + std::to_string(deps_.pve.major) +
                    " (offered: " + list + ")";
      }
    }
    return Ok();
  }

  StepScope Scope(const Value& body) const override { return {BaselineNode(body), ""}; }

  // `hainfra export`: each online member's standard repositories as a baseline's `apt` (the exporter folds
  // the nodes' baselines into one when they agree): the enabled handles, and the configured but disabled
  // ones as `disable`.
  Result<std::vector<ExportPart>> ExportParts() override {
    std::vector<ExportPart> parts;
    Result<Value> nodes = deps_.api->Get("/nodes");
    if (!nodes) return Fail(WithContext(nodes.error(), "reading /nodes"));
    if (!nodes->is_array()) return parts;
    for (const Value& n : *nodes) {
      const std::string node = n.is_object() ? n.value("node", "") : "";
      if (node.empty() || n.value("status", "") != "online") continue;
      Result<pve::AptRepositories> repos = Read(node);
      if (!repos) return Fail(WithContext(repos.error(), "reading the repositories of " + node));
      std::set<std::string> enabled, disabled;
      for (const auto& [handle, status] : repos->standard) {
        if (repos->Enabled(handle)) enabled.insert(handle);
        else if (status.has_value()) disabled.insert(handle);
      }
      Value apt = Value::object();
      if (!enabled.empty()) apt["repositories"] = enabled;
      if (!disabled.empty()) apt["disable"] = disabled;
      if (!apt.empty()) parts.push_back(ExportPart{"baseline", "", node, Value{{"apt", apt}}});
    }
    return parts;
  }

  Status Create(const Change& change) override { return Converge(change); }
  Status Update(const Change& change) override { return Converge(change); }
  Status Delete(const Change& change) override {
    return Fail(Code::kFailedPrecondition, change.address.ToString() + ": repositories are never removed, only disabled");
  }

 private:
  Result<pve::AptRepositories> Read(const std::string& node) {
    Result<Value> data = deps_.api->Get(transport::ApiPath({"nodes", node, "apt", "repositories"}));
    if (!data) return Fail(data.error());
    return pve::ParseAptRepositories(*data);
  }

  // Level-triggered: read, make the first missing change with the digest just read, read again, until the
  // node shows every declared handle enabled and every `disable` handle not enabled.
  Status Converge(const Change& change) {
    const std::string node = BaselineNode(change.after);
    const std::string path = transport::ApiPath({"nodes", node, "apt", "repositories"});
    const std::string suite = pve::DebianSuite(deps_.pve.major);
    const std::vector<std::string> enable = StringList(change.after, "repositories");
    const std::vector<std::string> disable = StringList(change.after, "disable");
    for (int round = 0; round < kMaxRounds; ++round) {
      Result<pve::AptRepositories> repos = Read(node);
      if (!repos) return Fail(repos.error());
      Result<bool> acted = Step(path, *repos, enable, disable, suite);
      if (!acted) return Fail(WithContext(acted.error(), change.address.ToString()));
      if (!*acted) return Ok();
    }
    return Fail(Code::kInternal, change.address.ToString() + ": the repositories did not reach the declared state after " +
                                     std::to_string(kMaxRounds) + " changes");
  }

  // One change towards the declared state; false when there is nothing left to do.
  Result<bool> Step(const std::string& path, const pve::AptRepositories& repos, const std::vector<std::string>& enable,
                    const std::vector<std::string>& disable, const std::string& suite) {
    for (const std::string& handle : enable) {
      if (repos.Enabled(handle)) continue;
      // PUT adds the standard repository, or enables it where it is already configured (proxmox-apt).
      Result<Value> put = deps_.api->Put(path, {{"handle", handle}, {"digest", repos.digest}});
      if (!put) return Fail(WithContext(put.error(), "enabling " + handle));
      return true;
    }
    for (const std::string& handle : disable) {
      if (!repos.Enabled(handle)) continue;
      auto it = std::find_if(repos.repositories.begin(), repos.repositories.end(), [&](const pve::AptRepository& r) {
        return r.enabled && pve::RefersTo(r, handle, suite);
      });
      if (it == repos.repositories.end()) {
        return Fail(Code::kInternal, "Proxmox reports " + handle + " enabled, but no enabled repository refers to it");
      }
      transport::Request request;
      request.method = transport::Method::kPost;
      request.path = path;
      request.params = {{"path", it->path}, {"index", it->index}, {"enabled", 0}, {"digest", repos.digest}};
      request.idempotent = true;  // setting a flag; a repeat with the old digest is refused, never doubled
      Result<Value> post = deps_.api->Send(request);
      if (!post) return Fail(WithContext(post.error(), "disabling " + handle + " in " + it->path));
      return true;
    }
    return false;
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

std::unique_ptr<ResourceKind> MakeAptRepositoryKind(KindDeps& deps) { return std::make_unique<AptRepositoryKind>(deps); }

}  // namespace hainfra::providers
