// The `qdevice/<cluster>` kind: the cluster's external QDevice vote (`cluster.corosync.qdevice`), observed in
// corosync.conf's `quorum { device { ... } }` (over SSH; GET /cluster/config/qdevice in an API-only run) and
// set up, changed and removed the way `pvecm qdevice setup|remove` does it (qdevice_setup.h).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hainfra/kind.h"
#include "hainfra/value.h"
#include "providers/kind_deps.h"
#include "providers/pve/corosync_conf.h"

namespace hainfra::providers {

// What corosync.conf's quorum.device says, every default resolved (corosync-qdevice(8)).
struct QdeviceSettings {
  std::string host;
  std::string algorithm = "ffsplit";
  std::string tls = "on";
  std::optional<int> votes;  // none: corosync's default (lms: nodes - 1)
  std::optional<int> port;   // none: 5403
};

// The desired body (the spec's keys as written) and whether `state: absent` asks for removal; null when the
// spec declares no QDevice.
Value QdeviceDesiredBody(const Spec& spec, bool& absent);
// The settings a desired body asks for on a cluster of `node_count` nodes, with pvecm's defaults: ffsplit
// with one vote for an even node count, lms (corosync's votes) for an odd one; tls on.
QdeviceSettings QdeviceSettingsFor(const Value& desired, size_t node_count);
// The observed body in the spec's shape, from corosync.conf's tree; null when no device is configured.
Value QdeviceObservedBody(const pve::CorosyncSection& root);
// The same from GET /cluster/config/qdevice (the local corosync-qdevice's status: "QNetd host",
// "Algorithm", ...); null when the answer is empty (no qdevice daemon runs there).
Value QdeviceObservedBodyFromApi(const Value& status);
// corosync.conf with quorum.device set to `settings` (model net), or without any device section.
pve::CorosyncSection WithQdevice(pve::CorosyncSection root, const QdeviceSettings& settings);
pve::CorosyncSection WithoutQdevice(pve::CorosyncSection root);

std::unique_ptr<ResourceKind> MakeQdeviceKind(KindDeps& deps);

}  // namespace hainfra::providers
