// Rolling a corosync change out safely: quorum first; totem keys in one config version; then ONE LINK AT A
// TIME (so the cluster never loses every link), each a new config version written as Proxmox documents
// (corosync.conf.new moved over /etc/pve/corosync.conf: pmxcfs propagates it, corosync reloads) and
// verified on every node (`corosync-cfgtool -s`: the link runs with the new address and sees every other
// node connected; the cluster still quorate). A step that does not verify is rolled back (the previous
// file, version bumped again) and the change stops with the reason.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/kind_deps.h"
#include "providers/pve/corosync_conf.h"

namespace hainfra::providers {

// A quorate node reachable over SSH (the API's own node first), to read and write /etc/pve.
Result<std::string> CorosyncReadNode(KindDeps& deps);

// Writes `root` as /etc/pve/corosync.conf through `node` (a copy moved into place; pmxcfs spreads it).
Status WriteCorosyncConf(KindDeps& deps, const std::string& node, const pve::CorosyncSection& root);

// argv that writes `content` (sent on stdin) to PATH.new and moves it over PATH only when it arrived whole
// (its size and SHA-256 as sent); else it removes the copy and exits 94, PATH unchanged.
std::vector<std::string> WriteCorosyncConfArgv(const std::string& content, const std::string& path);

// Brings /etc/pve/corosync.conf to `desired` (CorosyncDesiredBody's shape).
Status RollOutCorosync(KindDeps& deps, const Value& desired,
                       std::chrono::milliseconds verify_timeout = std::chrono::milliseconds(30'000));

}  // namespace hainfra::providers
