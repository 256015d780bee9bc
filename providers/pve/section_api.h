// One collection of Proxmox section-config objects behind the API's common shape (storage.cfg,
// ha/resources.cfg, ha/groups.cfg, ha/rules.cfg, jobs.cfg): list, POST create, PUT update with the file's
// `digest` and `delete`, DELETE. Shared by every kind of that shape.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/api_client.h"

namespace hainfra::pve {

struct SectionEndpoint {
  std::string collection;  // "/storage", "/cluster/ha/resources"
  std::string id_key;      // the key naming an object in answers and in POST: "storage", "sid", "rule", "id"
  bool update_digest = true;  // PUT takes the file's `digest` (optimistic concurrency)
  // Keys of an answer that are not the object's own settings (`digest` of the whole file, `next-run`,
  // `errors`, `order`): left out of its version.
  std::vector<std::string> volatile_keys;
  // Fragments of Proxmox's error messages that mean "no such object" (a delete of a gone object succeeds).
  std::vector<std::string> gone_messages;
  // `delete` is an array parameter (proxmox-notify, mappings: one key per item), not Proxmox's "a,b" list.
  bool delete_as_array = false;
  // POST goes to <collection>/<id> (metric servers), not to the collection with the id key.
  bool create_at_item = false;
};

class SectionApi {
 public:
  SectionApi(transport::ApiClient& api, SectionEndpoint endpoint);

  const SectionEndpoint& endpoint() const { return endpoint_; }

  // GET <collection> (one request): every object, as Proxmox answers.
  Result<std::vector<Value>> List(const Value& query = Value::object()) const;

  // GET <collection>/<id>.
  Result<Value> Read(const std::string& id) const;

  // POST <collection> with `params` plus the id key.
  Status Create(const std::string& id, Value params) const;

  // Decides from the object as it is now whether an update still writes: true (write), false (it is already
  // as wanted: nothing to do), or an error (refuse, e.g. it changed since the plan).
  using UpdateCheck = std::function<Result<bool>(const Value& current)>;

  // PUT <collection>/<id>: `params` set, `remove` deleted. First re-reads the object and asks `check`
  // (null: always write), so a change made since the plan is never overwritten; then sends the file's
  // current digest, and when another writer changed the file in between ("detected modified
  // configuration") reads, checks and tries again.
  Status Update(const std::string& id, Value params, const std::vector<std::string>& remove,
                const UpdateCheck& check) const;

  // DELETE <collection>/<id> with `params`; an object already gone is success.
  Status Remove(const std::string& id, const Value& params = Value::object()) const;

  // The version of one object as answered: a fingerprint of its own settings (not the file-wide digest,
  // which any change to another object of the file would move).
  std::string VersionOf(const Value& object) const;

 private:
  std::string ItemPath(const std::string& id) const;

  transport::ApiClient& api_;
  SectionEndpoint endpoint_;
};

// True when an error message says a section-config file changed under a `digest` (pve-common's
// "detected modified configuration - file changed by other user? Try again.").
bool IsDigestMismatch(const Error& error);

}  // namespace hainfra::pve
