#include "providers/kinds/section_kind.h"

#include <algorithm>

#include "engine/plan/field_diff.h"
#include "engine/spec/secrets.h"
#include "providers/kinds/section_objects.h"

namespace hainfra::providers {

std::vector<std::string> ChangedFields(const Change& change) {
  std::vector<std::string> out;
  for (const FieldChange& f : change.fields) {
    // The JSON pointer's first token is the top-level field ("/prune/keep_daily", "/nodes/pve-01").
    std::string name = f.pointer.substr(f.pointer.empty() || f.pointer[0] != '/' ? 0 : 1);
    name = name.substr(0, name.find('/'));
    if (name.empty()) continue;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::string Where(const Resource& resource) {
  return resource.where.known() ? resource.where.ToString() + ": " : std::string();
}

SectionKind::SectionKind(KindTraits traits, transport::ApiClient& api, pve::SectionEndpoint endpoint)
    : traits_(std::move(traits)), api_(&api), section_(api, std::move(endpoint)) {}

std::vector<Resource> SectionKind::Desired(const Spec& spec) const { return SectionObjects(spec, traits_.name); }

Status SectionKind::CheckDesired(const std::vector<Resource>& desired) const {
  (void)desired;
  return Ok();
}

bool SectionKind::NeedsList(const std::vector<Resource>& desired) const {
  (void)desired;
  return true;
}

Value SectionKind::UpdateExtras(const Value& body) const {
  (void)body;
  return Value::object();
}

void SectionKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
}

Result<std::vector<Observed>> SectionKind::Observe(const std::vector<Resource>& desired) {
  if (Status checked = CheckDesired(desired); !checked) return Fail(checked.error());
  std::vector<Observed> out;
  if (!NeedsList(desired)) return out;
  Result<std::vector<Value>> objects = ListObjects();
  if (!objects) return Fail(objects.error());
  for (const Value& object : *objects) {
    Result<std::optional<Decoded>> decoded = Decode(object);
    if (!decoded) {
      const std::string id = object.value(section_.endpoint().id_key, Value("?")).dump();
      return Fail(WithContext(decoded.error(), traits_.name + " " + id));
    }
    if (!decoded->has_value()) continue;
    Observed o;
    o.address = Address{traits_.name, (*decoded)->name};
    o.body = std::move((*decoded)->body);
    o.version = section_.VersionOf(object);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Value>> SectionKind::ListObjects() {
  if (pmxcfs_ != nullptr && pmxcfs_->enabled()) {
    auto files = pmxcfs_->Files(traits_.name);
    if (files && *files != nullptr) {
      std::optional<Result<std::vector<Value>>> listed = ListFromPmxcfs(**files);
      if (listed && *listed) {
        api_->Log(transport::LogLevel::kProgress, traits_.name + ": read from /etc/pve in the bulk SSH read on " +
                                                      (*files)->node + " (no " + section_.endpoint().collection +
                                                      " request)");
        return std::move(**listed);
      }
      if (listed) {
        api_->Log(transport::LogLevel::kWarning, traits_.name + ": read over the API: its file in /etc/pve: " +
                                                     listed->error().message);
      }
    } else if (!files) {
      api_->Log(transport::LogLevel::kWarning, traits_.name + ": read over the API: the bulk read of /etc/pve over "
                                                              "SSH failed: " + files.error().message);
    }
  }
  return section_.List(ListQuery());
}

Result<Value> SectionKind::ResolveSecrets(const Value& body, const std::vector<std::string>& only) const {
  Value out = body;
  for (const FieldSpec& field : traits_.body.fields) {
    if (!field.secret) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), field.name) == only.end()) continue;
    auto it = out.find(field.name);
    if (it == out.end() || !it->is_string()) continue;
    Result<std::string> value = spec::ResolveSecret(it->get<std::string>());
    if (!value) return Fail(WithContext(value.error(), field.name));
    *it = *value;
  }
  return out;
}

Status SectionKind::Create(const Change& change) {
  Result<Value> body = ResolveSecrets(change.after, {});
  if (!body) return Fail(WithContext(body.error(), change.address.ToString()));
  Result<Value> params = Encode(*body);
  if (!params) return Fail(WithContext(params.error(), change.address.ToString()));
  return section_.Create(ApiId(change.address.name), std::move(*params));
}

Result<bool> SectionKind::StillNeeded(const Change& change, const Value& current) const {
  if (section_.VersionOf(current) == change.version) return true;
  // It changed since the plan. Written already (a retried step whose first PUT landed): nothing to do.
  // Otherwise someone else changed it: never overwrite what the plan did not show.
  Result<std::optional<Decoded>> decoded = Decode(current);
  if (decoded && decoded->has_value()) {
    Value observed = (*decoded)->body;
    Normalize(observed);
    std::vector<FieldChange> left;
    plan::DiffFields(traits_.body, change.after, observed, /*creating=*/false, left);
    if (left.empty()) return false;
  }
  return Fail(Code::kFailedPrecondition,
              change.address.ToString() + " changed in the cluster since it was planned; plan again");
}

Status SectionKind::Update(const Change& change) {
  const std::vector<std::string> fields = ChangedFields(change);
  Result<Value> body = ResolveSecrets(change.after, fields);
  if (!body) return Fail(WithContext(body.error(), change.address.ToString()));
  Result<Value> all = Encode(*body);
  if (!all) return Fail(WithContext(all.error(), change.address.ToString()));
  Value params = UpdateExtras(*body);
  std::vector<std::string> remove;
  for (const std::string& field : fields) {
    for (const std::string& key : ApiKeysFor(field, *body)) {
      auto it = all->find(key);
      if (it != all->end()) {
        params[key] = *it;
      } else if (std::find(remove.begin(), remove.end(), key) == remove.end()) {
        remove.push_back(key);
      }
    }
  }
  if (params.empty() && remove.empty()) return Ok();
  Status done = section_.Update(ApiId(change.address.name), std::move(params), remove,
                                [&](const Value& current) { return StillNeeded(change, AsListed(change.address.name, current)); });
  if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
  return Ok();
}

Status SectionKind::Delete(const Change& change) {
  Status done = section_.Remove(ApiId(change.address.name), DeleteParams());
  if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
  return Ok();
}

}  // namespace hainfra::providers
