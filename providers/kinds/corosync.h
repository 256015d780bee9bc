// The `corosync/<cluster>` kind: corosync's links (node addresses per link, knet priorities) and totem
// timings, from `cluster.corosync` and `nodes[].corosync`, observed in /etc/pve/corosync.conf over SSH and
// changed the way Proxmox documents (edit a copy, bump config_version, move it into place), one link at a
// time with every node's corosync verified after each step (corosync_rollout.h).
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"
#include "providers/pve/corosync_conf.h"

namespace hainfra::providers {

// Translation between the spec's shape and corosync.conf, pure (tested on real captures).
// The desired body: {"totem": {...declared keys}, "links": [{"id", "priority"?}], "nodes": {name: {"linkN"}}}.
Value CorosyncDesiredBody(const Spec& spec);
// The same shape read from a parsed corosync.conf's text, limited to what `desired` declares (totem keys,
// link priorities, nodes): only what is declared is managed. Errors name the file.
Result<Value> CorosyncObservedBody(const std::string& conf_text, const Value& desired);
Result<Value> CorosyncObservedBody(const pve::CorosyncView& view, const Value& desired);
// The view of GET /cluster/config/nodes and /cluster/config/totem (an API-only run: plan, never change).
Result<pve::CorosyncView> CorosyncViewFromApi(const Value& nodes, const Value& totem);

std::unique_ptr<ResourceKind> MakeCorosyncKind(KindDeps& deps);

}  // namespace hainfra::providers
