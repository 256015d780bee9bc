// Translation of a qemu-server guest config (Proxmox's key → property-string map) into the spec's `vms`
// shape and back into request parameters. Shared by every observe path: the API's GET .../config and a
// later bulk read of /etc/pve/nodes/*/qemu-server/*.conf (ParseConfText gives the same map).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::providers::vm {

inline constexpr std::string_view kOwnerTag = "hainfra";

// The current config of a .conf file (pending changes not applied) as GET .../config?current=1 returns it,
// plus `digest` = SHA-1 of the file's bytes as pmxcfs computes it (pve::ParseGuestConf).
Result<Value> ParseConfText(std::string_view text);

// The spec-shaped body of a config: cores, memory, disks[] and nets[] by slot, tags (without the owner
// tag), boot, startup, agent, efi_disk, cloud_init ..., with Proxmox's defaults filled in for the keys it
// leaves out, so a user who writes a default value sees no difference. Errors name the key.
Result<Value> ConfigToBody(const Value& config);

// Tags as Proxmox writes them (`a;b`, also `,` or space separated): lower-cased, sorted, unique.
std::vector<std::string> SplitTags(std::string_view text);
// True when the tag text carries hainfra's ownership marker.
bool HasOwnerTag(std::string_view text);

// The text of a config value (strings as is, numbers in decimal).
std::string ConfigText(const Value& value);

// True for config keys that are disk slots (scsiN, virtioN, sataN, ideN).
bool IsDiskSlot(std::string_view key);
// True when a drive value is a CD-ROM (media=cdrom) — not a disk of the spec's `disks`.
bool IsCdrom(std::string_view drive);

}  // namespace hainfra::providers::vm
