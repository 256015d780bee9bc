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

// The current section of a .conf file (before the first `[PENDING]`/snapshot section) as the key → value
// object GET .../config returns, plus `digest` = SHA-1 of the file's bytes as pmxcfs computes it.
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

// Proxmox's "STORAGE:SIZE_IN_GiB" size for a new volume: whole GiB, or a decimal for smaller sizes.
std::string NewVolumeSize(const Value& size);
// An absolute size for PUT .../resize ("65536M"), in whole MiB; nullopt when not a size.
std::optional<std::string> ResizeTarget(const Value& size);

// A disk entry as a drive value: `base` is the observed drive value (empty: a new volume on
// `disk.storage`); the written options of `disk` replace the base's.
Result<std::string> FormatDisk(const Value& disk, std::string_view base);
// A NIC entry as a net value over the observed value `base` (empty: a new NIC). The observed MAC is kept
// unless the entry sets `macaddr`.
Result<std::string> FormatNet(const Value& net, std::string_view base);
// The EFI vars disk of a new guest.
std::string FormatEfiDisk(const Value& efi);
// `order=1,up=30`
std::string FormatStartup(const Value& startup);
// `order=scsi0;net0`
std::string FormatBoot(const Value& boot);
// `ip=10.0.0.2/24,gw=10.0.0.1`
std::string FormatIpConfig(const Value& entry);
// sshkeys as qemu-server stores them: newline-joined, URL-encoded.
std::string FormatSshKeys(const Value& keys);

}  // namespace hainfra::providers::vm
