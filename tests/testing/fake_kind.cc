#include "tests/testing/fake_kind.h"

#include <algorithm>
#include <thread>

namespace hainfra::testing {

void FakeCluster::Put(const Address& address, Value body, bool owned) {
  std::lock_guard lock(mu_);
  Observed& o = objects_[address];
  o.address = address;
  o.body = std::move(body);
  o.owned = owned;
  o.version = "v" + std::to_string(next_version_++);
}

void FakeCluster::Erase(const Address& address) {
  std::lock_guard lock(mu_);
  objects_.erase(address);
}

std::optional<Observed> FakeCluster::Get(const Address& address) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(address);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::vector<Observed> FakeCluster::OfKind(const std::string& kind) const {
  std::lock_guard lock(mu_);
  std::vector<Observed> out;
  for (const auto& [address, o] : objects_) {
    if (address.kind == kind) out.push_back(o);
  }
  return out;
}

std::vector<std::string> FakeCluster::Log() const {
  std::lock_guard lock(mu_);
  return log_;
}

void FakeCluster::Record(const std::string& entry) {
  std::lock_guard lock(mu_);
  log_.push_back(entry);
}

void FakeCluster::Enter(const std::string& node, const std::string& guest) {
  std::lock_guard lock(mu_);
  max_.total = std::max(max_.total, ++running_);
  if (!node.empty()) max_.per_node = std::max(max_.per_node, ++node_running_[node]);
  if (!guest.empty()) max_.per_guest = std::max(max_.per_guest, ++guest_running_[guest]);
}

void FakeCluster::Leave(const std::string& node, const std::string& guest) {
  std::lock_guard lock(mu_);
  --running_;
  if (!node.empty()) --node_running_[node];
  if (!guest.empty()) --guest_running_[guest];
}

Concurrency FakeCluster::Max() const {
  std::lock_guard lock(mu_);
  return max_;
}

FakeKind::FakeKind(FakeCluster& cluster, KindTraits traits) : cluster_(cluster), traits_(std::move(traits)) {}

void FakeKind::FailNext(const Address& address, Error error, int times, const std::string& verb) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < times; ++i) failures_[address].emplace_back(verb, error);
}

std::vector<Change> FakeKind::Received() const {
  std::lock_guard lock(mu_);
  return received_;
}

int FakeKind::observe_calls() const {
  std::lock_guard lock(mu_);
  return observe_calls_;
}

std::vector<Resource> FakeKind::Desired(const Spec& spec) const {
  std::vector<Resource> out;
  for (const Resource* r : spec.OfKind(traits_.name)) out.push_back(*r);
  return out;
}

Result<std::vector<Observed>> FakeKind::Observe(const std::vector<Resource>& desired) {
  (void)desired;
  {
    std::lock_guard lock(mu_);
    ++observe_calls_;
    if (observe_error) return Fail(*observe_error);
  }
  return cluster_.OfKind(traits_.name);
}

void FakeKind::Normalize(Value& body) const {
  if (normalize) normalize(body);
}

Status FakeKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  return review ? review(desired, observed, change) : Ok();
}

std::string FakeKind::ByHandRemoval(const Observed& observed) const {
  return by_hand ? by_hand(observed) : "";
}

StepScope FakeKind::Scope(const Value& body) const {
  StepScope scope;
  if (body.is_object() && body.contains(node_field) && body[node_field].is_string()) scope.node = body[node_field];
  if (body.is_object() && body.contains(guest_field) && body[guest_field].is_string()) scope.guest = body[guest_field];
  return scope;
}

std::vector<Address> FakeKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object() || !body.contains(refs_field) || !body[refs_field].is_array()) return out;
  for (const Value& ref : body[refs_field]) {
    if (!ref.is_string()) continue;
    if (auto address = ParseAddress(ref.get<std::string>())) out.push_back(*address);
  }
  return out;
}

Status FakeKind::Verb(const char* name, const Change& change, const std::function<void()>& write) {
  const StepScope scope = Scope(change.after.is_null() ? change.before : change.after);
  cluster_.Enter(scope.node, scope.guest);
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  std::optional<Error> failure;
  {
    std::lock_guard lock(mu_);
    received_.push_back(change);
    auto it = failures_.find(change.address);
    if (it != failures_.end()) {
      auto match = std::find_if(it->second.begin(), it->second.end(),
                                [&](const auto& f) { return f.first.empty() || f.first == name; });
      if (match != it->second.end()) {
        failure = match->second;
        it->second.erase(match);
      }
    }
  }
  if (!failure || fail_after_write) write();
  cluster_.Record(std::string(name) + " " + change.address.ToString() + (failure ? " failed" : ""));
  cluster_.Leave(scope.node, scope.guest);
  if (failure) return Fail(*failure);
  return Ok();
}

void FakeKind::Write(const Address& address, std::optional<Value> body, const std::string& node) {
  if (traits_.commit != CommitScope::kNone) {
    std::lock_guard lock(mu_);
    staged_.push_back({address, std::move(body), node});
    return;
  }
  if (body) cluster_.Put(address, std::move(*body), /*owned=*/true);
  else cluster_.Erase(address);
}

Status FakeKind::Create(const Change& change) {
  return Verb("create", change, [&] { Write(change.address, change.after, Scope(change.after).node); });
}

Status FakeKind::Update(const Change& change) {
  return Verb("update", change, [&] {
    std::optional<Observed> current = cluster_.Get(change.address);
    Value body = current ? current->body : Value::object();
    for (auto it = change.after.begin(); it != change.after.end(); ++it) body[it.key()] = it.value();
    Write(change.address, std::move(body), Scope(change.after).node);
  });
}

Status FakeKind::Delete(const Change& change) {
  return Verb("delete", change, [&] { Write(change.address, std::nullopt, Scope(change.before).node); });
}

Status FakeKind::Commit(const std::string& node) {
  std::vector<Staged> now;
  {
    std::lock_guard lock(mu_);
    auto keep = std::stable_partition(staged_.begin(), staged_.end(), [&](const Staged& s) {
      return traits_.commit == CommitScope::kPerNode && s.node != node;
    });
    now.assign(std::make_move_iterator(keep), std::make_move_iterator(staged_.end()));
    staged_.erase(keep, staged_.end());
  }
  for (Staged& s : now) {
    if (s.body) cluster_.Put(s.address, std::move(*s.body), /*owned=*/true);
    else cluster_.Erase(s.address);
  }
  cluster_.Record("commit " + traits_.name + (node.empty() ? "" : " " + node));
  return Ok();
}

FieldSpec Field(std::string name, FieldType type) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  return f;
}

FieldSpec FakeBody() {
  FieldSpec body = Field("", FieldType::kObject);
  body.fields.push_back(Field("name", FieldType::kString));
  body.fields.push_back(Field("node", FieldType::kString));
  body.fields.push_back(Field("guest", FieldType::kString));
  FieldSpec refs = Field("refs", FieldType::kList);
  refs.element.push_back(Field("", FieldType::kString));
  refs.set = true;
  body.fields.push_back(refs);
  body.fields.push_back(Field("cores", FieldType::kInt));
  body.fields.push_back(Field("memory", FieldType::kSize));
  FieldSpec vmid = Field("vmid", FieldType::kInt);
  vmid.force_new = true;
  body.fields.push_back(vmid);
  FieldSpec onboot = Field("onboot", FieldType::kBool);
  onboot.reboot = true;
  body.fields.push_back(onboot);
  FieldSpec password = Field("password", FieldType::kString);
  password.secret = true;
  body.fields.push_back(password);
  FieldSpec description = Field("description", FieldType::kString);
  description.managed = false;
  body.fields.push_back(description);

  FieldSpec disk = Field("", FieldType::kObject);
  disk.fields = {Field("slot", FieldType::kString), Field("storage", FieldType::kString),
                 Field("size", FieldType::kSize)};
  FieldSpec disks = Field("disks", FieldType::kList);
  disks.key = "slot";
  disks.element.push_back(disk);
  body.fields.push_back(disks);

  FieldSpec tags = Field("tags", FieldType::kList);
  tags.set = true;
  tags.element.push_back(Field("", FieldType::kString));
  body.fields.push_back(tags);
  FieldSpec options = Field("options", FieldType::kMap);
  options.element.push_back(Field("", FieldType::kString));
  body.fields.push_back(options);
  FieldSpec boot = Field("boot", FieldType::kList);
  boot.element.push_back(Field("", FieldType::kString));
  body.fields.push_back(boot);

  FieldSpec api = Field("api", FieldType::kObject);
  FieldSpec token = Field("token", FieldType::kString);
  token.secret = true;
  api.fields = {Field("endpoint", FieldType::kString), token};
  body.fields.push_back(api);
  return body;
}

KindTraits FakeTraits(std::string name, int order) {
  KindTraits traits;
  traits.name = std::move(name);
  traits.order = order;
  traits.body = FakeBody();
  return traits;
}

Resource FakeResource(const std::string& kind, const std::string& name, Value body, int line,
                      const std::string& file) {
  Resource r;
  r.address = {kind, name};
  r.body = std::move(body);
  r.where = {file, line, 3};
  return r;
}

}  // namespace hainfra::testing
