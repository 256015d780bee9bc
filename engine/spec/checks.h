// The checks that look across objects once every file is read: references, duplicates, corosync, HA rules,
// storage types, images, networks, VLANs, VMs, containers, backup jobs, baselines. Each family has its own check_*.cc.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/location.h"
#include "hainfra/spec.h"

namespace hainfra::spec {

// What every check needs: the spec (indexed) and a place to report, at the location of a field.
class CheckContext {
 public:
  CheckContext(const Spec& spec, Diagnostics& out);

  const Spec& spec() const { return spec_; }
  // Objects of a kind, in file order (absent ones included).
  const std::vector<const Resource*>& OfKind(const std::string& kind) const;
  // The object `kind/name`, or nullptr.
  const Resource* Find(std::string_view kind, std::string_view name) const;

  // "<address>: <message>" at the field's location (`pointer`, falling back to the object).
  void Error(const Resource& r, const std::string& pointer, const std::string& message);
  void Warning(const Resource& r, const std::string& pointer, const std::string& message);
  // An error about a settings section (no address in the message): `field` is its dotted path.
  void SettingError(const Resource& r, const std::string& pointer, const std::string& field,
                    const std::string& message);

 private:
  void Add(Severity severity, const Resource& r, const std::string& pointer, const std::string& message);

  const Spec& spec_;
  Diagnostics& out_;
  std::map<std::string, std::vector<const Resource*>> by_kind_;
  // kind -> name -> object; transparent, so a lookup builds no strings.
  std::map<std::string, std::map<std::string, const Resource*, std::less<>>, std::less<>> by_name_;
};

// Runs every check below, in a fixed order. `spec` must be reindexed.
void CheckSpec(const Spec& spec, Diagnostics& out);

void CheckReferences(CheckContext& ctx);  // every FieldSpec `ref`: node, storage, bridge, vm, ...
void CheckCluster(CheckContext& ctx);     // corosync links, node addresses, votes and QDevice
void CheckNetwork(CheckContext& ctx);     // node interfaces: bonds, VLANs, gateways, duplicate addresses
void CheckVlans(CheckContext& ctx);       // SDN zones and VNets
void CheckCeph(CheckContext& ctx);        // pool sizes
void CheckStorage(CheckContext& ctx);     // keys each storage type needs and accepts
void CheckImages(CheckContext& ctx);      // templates and downloads, checksums, file names, images in use
void CheckVms(CheckContext& ctx);         // boot order, MACs, run state vs HA, disk storages
void CheckContainers(CheckContext& ctx);  // vmid space, mount points, template storage, MACs, run state vs HA
void CheckHa(CheckContext& ctx);          // HA rules as pve-ha-manager enforces them
void CheckBackupJobs(CheckContext& ctx);  // guest selection
void CheckDatacenter(CheckContext& ctx);  // check_datacenter.cc: the next-id range
void CheckPools(CheckContext& ctx);       // check_datacenter.cc: one pool per guest, nested pools' parents
void CheckBaselines(CheckContext& ctx);   // contradictions
void CheckEnforcement(CheckContext& ctx); // the `enforcement:` policy: selectors, field paths, windows
void CheckReplication(CheckContext& ctx);  // check_services.cc: guest, target, schedule, ZFS volumes
void CheckNotifications(CheckContext& ctx);  // check_services.cc: one name space, matchers' targets, recipients
void CheckMetricServers(CheckContext& ctx);  // check_services.cc: the settings of each server type
void CheckAccess(CheckContext& ctx);      // check_access.cc: pve-realm passwords, hainfra's own token kept
void CheckAcmePlugins(CheckContext& ctx);  // check_certificates.cc: the settings of each plugin type

// Small helpers the checks share.
std::string Str(const Value& body, const char* key);  // the string at `key`, or ""
bool Has(const Value& body, const char* key);
// The list / object at `key`, or an empty one (a reference: no copy of the body).
const Value& ListAt(const Value& body, const char* key);
const Value& ObjectAt(const Value& body, const char* key);

}  // namespace hainfra::spec
