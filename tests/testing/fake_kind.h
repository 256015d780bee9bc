// In-memory fakes of the resource-kind world, for engine and CLI tests (and the plan benchmark):
// a FakeCluster that stores objects and counts concurrent verbs, and FakeKind, a configurable kind.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hainfra/kind.h"

namespace hainfra::testing {

// Highest numbers of verbs seen running at the same time: in all, on one node, on one guest.
struct Concurrency {
  int total = 0;
  int per_node = 0;
  int per_guest = 0;
};

// The "cluster": objects by address, each with a version that changes on every write. Thread-safe.
class FakeCluster {
 public:
  // Seeds or overwrites an object (as if someone changed it outside hainfra).
  void Put(const Address& address, Value body, bool owned = false);
  void Erase(const Address& address);
  std::optional<Observed> Get(const Address& address) const;
  std::vector<Observed> OfKind(const std::string& kind) const;

  // Every verb that ran, in order: "create vm/1", "update vm/1", "delete vm/1", "commit network pve-01".
  std::vector<std::string> Log() const;
  void Record(const std::string& entry);

  // Called around each verb to measure concurrency (see FakeKind::delay).
  void Enter(const std::string& node, const std::string& guest);
  void Leave(const std::string& node, const std::string& guest);
  Concurrency Max() const;

 private:
  mutable std::mutex mu_;
  std::map<Address, Observed> objects_;
  int next_version_ = 1;
  std::vector<std::string> log_;
  int running_ = 0;
  std::map<std::string, int> node_running_, guest_running_;
  Concurrency max_;
};

// A kind whose objects live in a FakeCluster. Bodies are plain JSON; the knobs below shape behaviour.
// Desired: the spec's objects of kind `traits.name`. Observe: every object of that kind in the cluster.
// Create stores `after`; Update overwrites the written top-level keys (others stay); Delete erases.
// With a CommitScope, writes are staged and become visible only at Commit (per node or all at once).
class FakeKind : public ResourceKind {
 public:
  FakeKind(FakeCluster& cluster, KindTraits traits);

  std::function<void(Value&)> normalize;                                     // Normalize
  std::function<Status(const Resource&, const Observed&, Change&)> review;  // Review
  std::function<std::string(const Observed&)> by_hand;                      // ByHandRemoval
  std::string node_field = "node";    // Scope().node: this body field
  std::string guest_field = "guest";  // Scope().guest: this body field
  std::string refs_field = "refs";    // References(): this body field, a list of "kind/name"
  std::chrono::milliseconds delay{0};  // every verb takes this long (to observe concurrency)

  // The next `times` calls of `verb` ("create", "update", "delete"; "" = any) on `address` fail with
  // `error` (then they succeed).
  void FailNext(const Address& address, Error error, int times = 1, const std::string& verb = "");
  // When set, those failures come after the write: the work is done, its answer lost.
  bool fail_after_write = false;
  // Observe fails with this error while set.
  std::optional<Error> observe_error;

  // Every change handed to a verb, in call order (to check what kinds receive, e.g. real secrets).
  std::vector<Change> Received() const;
  int observe_calls() const;

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  std::string ByHandRemoval(const Observed& observed) const override;
  StepScope Scope(const Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;
  Status Commit(const std::string& node) override;

 private:
  struct Staged {
    Address address;
    std::optional<Value> body;  // nullopt: delete
    std::string node;
  };

  Status Verb(const char* name, const Change& change, const std::function<void()>& write);
  void Write(const Address& address, std::optional<Value> body, const std::string& node);

  FakeCluster& cluster_;
  KindTraits traits_;
  mutable std::mutex mu_;
  std::map<Address, std::vector<std::pair<std::string, Error>>> failures_;  // (verb, error)
  std::vector<Change> received_;
  std::vector<Staged> staged_;
  int observe_calls_ = 0;
};

// A field spec in one line: Field("cores", FieldType::kInt).
FieldSpec Field(std::string name, FieldType type);

// The body spec the engine tests share: name, node, guest, refs, cores (int), memory (size),
// vmid (force_new), onboot (bool, reboot), password (secret), description (managed=false),
// disks (keyed by slot: slot, storage, size), tags (set of strings), options (map of strings),
// boot (ordered list), api (object: endpoint, token (secret)).
FieldSpec FakeBody();

// Traits of a fake kind named `name` with FakeBody() and the given order.
KindTraits FakeTraits(std::string name, int order);

// A desired resource with address `kind/name`, located at `file:line:1`.
Resource FakeResource(const std::string& kind, const std::string& name, Value body, int line = 1,
                      const std::string& file = "spec.yaml");

}  // namespace hainfra::testing
