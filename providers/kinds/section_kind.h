// A resource kind over one section-config collection of the API (pve/section_api.h): observe is one list
// call, create a POST, update a PUT of the changed fields only (with `digest` and `delete`), delete a DELETE.
// Storage, HA groups, HA rules, HA resources and backup jobs share this code; each supplies only its
// translation pair (Decode/Encode) and which API keys each of its spec fields writes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/kind.h"
#include "providers/kinds/pmxcfs_files.h"
#include "providers/pve/section_api.h"

namespace hainfra::providers {

class SectionKind : public ResourceKind {
 public:
  const KindTraits& traits() const override { return traits_; }
  // The spec section of the kind's name, as written.
  std::vector<Resource> Desired(const Spec& spec) const override;
  // CheckDesired, then one list call; every object the kind recognises, versioned per object.
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  // Drops a presence `state` (present/absent): it says whether the object exists, it is no setting.
  void Normalize(Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

  // Bulk observe (issue 19): with SSH, the list call's answer is built from the kind's file in the one bulk
  // read of /etc/pve that the observation shares (`reader`), when the kind can (ListFromPmxcfs); the list call
  // runs as before when it cannot, when there is no SSH, or when the read failed (said in the log).
  void ObserveFromPmxcfs(std::shared_ptr<PmxcfsReader> reader) { pmxcfs_ = std::move(reader); }

 protected:
  SectionKind(KindTraits traits, transport::ApiClient& api, pve::SectionEndpoint endpoint);

  struct Decoded {
    std::string name;  // the address name
    Value body;        // in the spec's shape, with Proxmox's defaults spelled out
  };

  // One object as Proxmox answers it -> the spec's shape; nullopt when it is not an object of this kind.
  virtual Result<std::optional<Decoded>> Decode(const Value& object) const = 0;
  // A desired body (secrets resolved) -> API parameters, without the id key.
  virtual Result<Value> Encode(const Value& body) const = 0;
  // The API parameters one top-level spec field writes: what `delete` names when Encode writes none.
  virtual std::vector<std::string> ApiKeys(std::string_view field) const = 0;
  // The same for one desired body, where the key depends on another field (a metric server's protocol key
  // by its type).
  virtual std::vector<std::string> ApiKeysFor(std::string_view field, const Value& body) const {
    (void)body;
    return ApiKeys(field);
  }

  // The API id of the object named `name` (the same, except a PVE 9 group's rule `ha-group-<name>`).
  virtual std::string ApiId(const std::string& name) const { return name; }
  // Parameters every PUT carries besides the changed ones (PVE 9 rules need their `type`).
  virtual Value UpdateExtras(const Value& body) const;
  // Parameters of the DELETE call.
  virtual Value DeleteParams() const { return Value::object(); }
  // Plan-time refusal of desired objects this cluster cannot hold (an HA rule on PVE 8): one error naming
  // each, at its spec location.
  virtual Status CheckDesired(const std::vector<Resource>& desired) const;
  // Whether observing needs the list call at all.
  virtual bool NeedsList(const std::vector<Resource>& desired) const;
  // The list call's query (a type filter).
  virtual Value ListQuery() const { return Value::object(); }
  // One object as GET <collection>/<id> answers it, in the shape the list answers (the same, except where
  // the single read names no id or spells fields otherwise, as /access does).
  virtual Value AsListed(const std::string& name, const Value& read) const {
    (void)name;
    return read;
  }

  const pve::SectionApi& section() const { return section_; }

  // The list call's answer (with ListQuery's filter) built from the files of a bulk read of /etc/pve, exactly
  // as Proxmox builds it from the same files; nullopt when this kind has no such builder (the default).
  virtual std::optional<Result<std::vector<Value>>> ListFromPmxcfs(const PmxcfsFiles& files) const {
    (void)files;
    return std::nullopt;
  }

 private:
  // `body` with the secret top-level fields in `only` (all when empty) resolved from ${env:…}/${file:…}.
  Result<Value> ResolveSecrets(const Value& body, const std::vector<std::string>& only) const;
  // Whether an update planned as `change` still writes, judged from the object as it is now.
  Result<bool> StillNeeded(const Change& change, const Value& current) const;

  // The objects: from the bulk read when there is one and the kind builds its answer, else the list call.
  Result<std::vector<Value>> ListObjects();

  KindTraits traits_;
  transport::ApiClient* api_;
  pve::SectionApi section_;
  std::shared_ptr<PmxcfsReader> pmxcfs_;  // null: the list call only
};

// The top-level field names a change touches ("prune" for "prune.keep_daily", "nodes" for "nodes[pve-01]").
std::vector<std::string> ChangedFields(const Change& change);

// "spec.yaml:12:7: " for a located resource, "" otherwise: plan-time refusals name the line.
std::string Where(const Resource& resource);

}  // namespace hainfra::providers
