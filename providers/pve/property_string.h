// Proxmox property strings (`virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20`, `local-lvm:32,iothread=1`):
// parsed into ordered key/value pairs and written back in a canonical order. The providers' own code —
// the simulator has its own, so one misunderstanding cannot cancel itself out.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::pve {

struct PropertyString {
  std::vector<std::pair<std::string, std::string>> entries;  // in written order; keys unique

  // The value of `key`, or nullptr.
  const std::string* Find(std::string_view key) const;
  // Sets (or replaces, keeping its position) the value of `key`.
  void Set(std::string key, std::string value);
  // Removes `key` if present.
  void Erase(std::string_view key);
};

// Parses `text`. A part without `=` is the value of `default_key` (only one such part is allowed; empty
// `default_key` refuses it). Values in double quotes may contain commas (`\"` and `\\` escape). Repeated
// keys and empty keys are errors naming the text.
Result<PropertyString> ParsePropertyString(std::string_view text, std::string_view default_key = "");

// Writes `ps`: `default_key`'s value first without its key (when given and present), then the others in
// their order. Values containing `,` `"` or whitespace are quoted as Proxmox quotes them.
std::string FormatPropertyString(const PropertyString& ps, std::string_view default_key = "");

}  // namespace hainfra::pve
