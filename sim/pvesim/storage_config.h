// storage.cfg: the section schema of the storage plugins (which options each type has and which are
// required), where a storage is enabled, and simulated capacity figures.
#pragma once

#include <cstdint>
#include <string>

#include "sim/pvesim/section_config.h"

namespace pvesim {

const SectionSchema& StorageSchema();

// storage_check_enabled: not disabled and (no `nodes` list or `node` in it).
bool StorageEnabledOn(const Section& storage, const std::string& node);

// Default content types of a storage type when none is configured.
std::string DefaultContent(const std::string& type);
bool StorageIsShared(const Section& storage);

struct StorageUsage {
  uint64_t total = 0, used = 0, avail = 0;
};
StorageUsage StorageUsageOf(const Section& storage, const std::string& node);

}  // namespace pvesim
