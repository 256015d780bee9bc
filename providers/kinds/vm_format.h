// Writing the spec's shape back as Proxmox config values: drive and net property strings over their current
// value, sizes of new volumes and resizes, startup/boot/ipconfig/sshkeys. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::providers::vm {

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
// The TPM state volume of a new guest: `local-lvm:1,version=v2.0`.
std::string FormatTpmState(const Value& tpm);
// `type=serial0,memory=32`
std::string FormatVga(const Value& vga);
// A hostpci (`pci`) or usb entry: `mapping=gpu,pcie=1`.
std::string FormatPassthrough(const Value& entry, bool pci);
// A CD-ROM drive: `local:iso/x.iso,media=cdrom` or `none,media=cdrom`.
std::string FormatCdrom(const Value& medium);
// `order=1,up=30`
std::string FormatStartup(const Value& startup);
// `order=scsi0;net0`
std::string FormatBoot(const Value& boot);
// `ip=10.0.0.2/24,gw=10.0.0.1`
std::string FormatIpConfig(const Value& entry);
// sshkeys as qemu-server stores them: newline-joined, URL-encoded.
std::string FormatSshKeys(const Value& keys);

}  // namespace hainfra::providers::vm
