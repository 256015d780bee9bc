// qemu-server's drive handling: drive strings ("local-lvm:vm-100-disk-0,iothread=1,size=32G"), allocation
// of new volumes from "STORAGE:SIZE_GiB", storage checks, unused disks and the default boot order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/pvesim/guest_config.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

// ide0..3, sata0..5, scsi0..30, virtio0..15, efidisk0, tpmstate0 (qemu-server's order).
const std::vector<std::string>& DriveKeys();
bool IsValidDriveName(const std::string& key);

// The drive's properties; "file" holds the volume ("none" for an empty cdrom).
PropertyMap ParseDrive(const std::string& value);
// print_drive: file first, then the other keys sorted.
std::string PrintDrive(const PropertyMap& drive);
bool DriveIsCdrom(const PropertyMap& drive);

// Checks a storage for guest images on a node (exists, enabled there, holds "images").
Status CheckImageStorage(Simulator& sim, const std::string& storage, const std::string& node);

// Allocates every drive of `params` given as "STORAGE:SIZE" (or "SIZE" with `default_storage`) on
// `node`, rewriting it to the new volume with its size. Volume names continue after those of `conf`.
Status AllocateNewDisks(Simulator& sim, const std::string& node, int vmid, const GuestConfig& conf,
                        ConfigMap& params, const std::optional<std::string>& default_storage);

// Checks existing volumes named in drive parameters (their storage must exist).
Status CheckDriveVolumes(Simulator& sim, const ConfigMap& params);

// The first free unusedN key.
std::string NextUnusedKey(const ConfigMap& conf);

// get_default_bootdevices + print_bootorder: "order=scsi0;ide2;net0".
std::string DefaultBootOrder(const ConfigMap& conf);

// Volumes of the guest's disks that live on storages not shared across nodes.
std::vector<std::string> LocalDiskVolumes(Simulator& sim, const ConfigMap& conf);

}  // namespace pvesim
