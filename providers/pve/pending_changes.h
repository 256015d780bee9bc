// The `changes` GET /nodes/{node}/network reports: a `diff -u` of /etc/network/interfaces against the staged
// interfaces.new. hainfra reads which interface stanzas it touches, to tell its own staged work from
// someone else's before it applies anything.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace hainfra::pve {

struct PendingChanges {
  std::set<std::string> interfaces;  // interfaces whose stanza (auto/iface line, options, comments) changes
  bool unattributed = false;         // a changed line whose stanza the diff does not show, or a file-level line
};

// Reads a unified diff as Proxmox produces it. Empty text gives no changes.
PendingChanges ParsePendingChanges(std::string_view diff);

}  // namespace hainfra::pve
