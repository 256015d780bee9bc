// The cluster's guest list (GET /cluster/resources?type=vm: VMs and containers alike), read once per plan for
// both guest kinds. The VM and container kinds observe in parallel; whichever asks first fetches the list, the
// other takes the same answer — once, and only while it is fresh (3 s). Every other read fetches anew, so a
// list never outlives the observation it was read for (live state is the truth).
//
// Bulk observe: with SSH to the nodes (an SSH client with node addresses), the same read also fetches every
// guest config file from pmxcfs (/etc/pve/nodes/*/qemu-server/*.conf, lxc/*.conf) in one SSH command on one
// node, in parallel with the list; the kinds then build each guest's config from its file (pve::ParseGuestConf,
// the answer GET .../config would give, digest included) instead of one GET per guest. The list still comes
// from the API (run state, placement). A failed SSH read is reported and the kinds read over the API as
// without SSH; a guest whose file is not in the read (created or migrated meanwhile) is read over the API.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/resource.h"
#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/kinds/pmxcfs_files.h"
#include "providers/pve/guest_conf.h"
#include "providers/transport/api_client.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

// One read: the list, and the guest config files when they were read in bulk (null otherwise).
struct GuestSnapshot {
  Value list;
  std::shared_ptr<const PmxcfsFiles> files;

  // The config of guest `vmid` on `node` as GET .../config answers it, from its file; nullopt when there was
  // no bulk read or the file was not in it.
  std::optional<Value> Config(pve::GuestType type, const std::string& node, const std::string& vmid) const;
};

class GuestList {
 public:
  // `ssh`: null, or without node addresses, reads every config over the API.
  explicit GuestList(transport::ApiClient* api, transport::SshClient* ssh = nullptr)
      : api_(api), pmxcfs_(std::make_shared<PmxcfsReader>(ssh)) {}
  // The bulk read shared with the other kinds that observe from pmxcfs (one SSH command per observation).
  GuestList(transport::ApiClient* api, std::shared_ptr<PmxcfsReader> pmxcfs) : api_(api), pmxcfs_(std::move(pmxcfs)) {}

  // The list for `consumer` ("vm" or "ct").
  Result<Value> Read(const std::string& consumer);
  // The list and, with SSH, the config files read with it.
  Result<GuestSnapshot> ReadWithFiles(const std::string& consumer);

  // The config of guest `vmid`, read by `read(node)` on the node its list `entry` names. A guest moved between
  // the list and the read (HA relocated it, an operator migrated it) is no longer on that node — Proxmox
  // answers "Configuration file ... does not exist" — so it is looked up in a fresh list and read where it is
  // now, a few times, `entry` becoming the fresh entry. nullopt: the guest left the cluster meanwhile.
  Result<std::optional<Value>> ReadConfigWhereItIs(const std::string& vmid, Value& entry,
                                                   const std::function<Result<Value>(const std::string& node)>& read);

 private:
  // The bulk read of the guest config files; null (after saying why through the API client's log) when it
  // fails or there is no SSH.
  std::shared_ptr<const PmxcfsFiles> ReadFiles(const std::string& consumer);

  transport::ApiClient* api_;  // null: no API (offline use of a kind), every read fails
  std::shared_ptr<PmxcfsReader> pmxcfs_;  // never null; disabled without SSH
  std::mutex mu_;
  std::optional<Value> last_;
  std::shared_ptr<const PmxcfsFiles> last_files_;
  std::chrono::steady_clock::time_point read_at_;
  std::set<std::string> consumed_;  // the consumers that took `last_` already
};

// The entries of one guest type (`type`: "qemu" or "lxc") of a guest list, by vmid. A vmid that `desired`
// declares for `kind` but a guest of the other type holds is added to `out` as an Observed carrying
// `guest_type`, so that the kind's review refuses it instead of planning a create.
std::map<std::string, Value> GuestsOfType(const Value& list, std::string_view type, const std::string& kind,
                                          const std::vector<Resource>& desired, std::vector<Observed>& out);

// A guest as observed: `body` is its config in the spec's shape; the version is the config's digest (a
// fingerprint of the body when there is none); owned when the config carries hainfra's tag.
Observed ObservedGuest(const std::string& kind, const std::string& vmid, Value body, const Value& config);

}  // namespace hainfra::providers
