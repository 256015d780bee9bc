// The `corosync/<cluster>` kind: corosync's links (node addresses per link, knet priorities) and totem
// timings, from `cluster.corosync` and `nodes[].corosync`, observed in /etc/pve/corosync.conf over SSH and
// changed the way Proxmox documents (edit a copy, bump config_version, move it into place), one link at a
// time with every node's corosync verified after each step (corosync_rollout.h).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hainfra/export_part.h"
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

// `hainfra export` of corosync: the cluster's name, totem timings and links (`cluster.corosync`) and each
// node's votes other than 1 (`nodes[].corosync`), from the view of corosync.conf (pure).
// `interfaces`: node -> its interfaces in the spec's shape (GET /nodes/{node}/network through
// pve::InterfaceFromApi), to name each link's network: the network of the interface holding a node's link
// address; failing that, the smallest network holding every node's address on the link.
std::vector<ExportPart> CorosyncExportParts(const pve::CorosyncView& view,
                                            const std::map<std::string, Value>& interfaces);

// "10.10.10.11/24" -> "10.10.10.0/24" (IPv4 or IPv6); empty when the text is no CIDR.
std::string NetworkOfCidr(const std::string& cidr);

// The smallest network holding every address ("10.0.0.11", "10.0.0.13" -> "10.0.0.8/29"); empty when
// they are not all of one family.
std::string CommonNetwork(const std::vector<std::string>& addresses);

std::unique_ptr<ResourceKind> MakeCorosyncKind(KindDeps& deps);

}  // namespace hainfra::providers
