// The guest config files pmxcfs holds (/etc/pve/nodes/<node>/qemu-server/<vmid>.conf and lxc/<vmid>.conf),
// read as qemu-server's parse_vm_config and pve-container's parse_pct_config read them: `key: value` lines,
// the description as leading `#` comments (decode_text), a `[PENDING]` section with its `delete` list,
// `[snapshot]` sections, `[special:…]` sections (skipped), raw `lxc.*` keys of containers; and the answer
// GET .../config builds from them (pending values applied unless `current`, snapshots dropped, `digest` =
// SHA-1 hex of the file's bytes, as both packages compute it). The one parser of this format in the
// providers: the bulk observe (providers/kinds/guest_list.h) and vm::ParseConfText use it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hainfra/value.h"

namespace hainfra::pve {

enum class GuestType { kQemu, kLxc };

using ConfSection = std::map<std::string, std::string>;

struct GuestConf {
  ConfSection main;                               // includes "description" when set
  ConfSection pending;                            // includes "delete" ("a,!b") when deletions are pending
  std::map<std::string, ConfSection> snapshots;   // name -> its config
  std::vector<std::pair<std::string, std::string>> lxc;  // containers: raw lxc.* keys of the current config
  std::string digest;                             // SHA-1 hex of the text it was parsed from
};

GuestConf ParseGuestConf(std::string_view text, GuestType type);

// What GET /nodes/{node}/{qemu|lxc}/{vmid}/config answers for this file: typed values (booleans and
// integers as numbers), pending values applied and pending deletions done unless `current`, `lxc` raw
// keys of a container as [key, value] pairs, the cloud-init password masked, `digest`.
Value GuestConfigAnswer(const GuestConf& conf, GuestType type, bool current = false);

// The hex SHA-1 of `bytes` (Proxmox's config digest).
std::string Sha1Hex(std::string_view bytes);

// PVE::Tools::decode_text: %XX escapes of a description comment line.
std::string DecodeConfText(std::string_view text);

}  // namespace hainfra::pve
