// PVE::SectionConfig files as pmxcfs stores them (storage.cfg, ha/*.cfg, jobs.cfg, sdn/*.cfg): a
// `<type>: <id>` header line, then indented `key value` lines up to the next blank line; `#` lines are
// comments; a bare key is a boolean set. Read as SectionConfig::parse_config reads them, and typed as the
// API answers them (booleans 1/0, integers as numbers) for the keys a kind names. The bulk observe builds the
// list calls' answers from these (the section kinds' ListFromPmxcfs).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hainfra/value.h"

namespace hainfra::pve {

struct FileSection {
  std::string type;
  std::string id;
  // In file order; nullopt for a bare key (`disable`).
  std::vector<std::pair<std::string, std::optional<std::string>>> options;
};

std::vector<FileSection> ParseSectionFile(std::string_view text);

// The schema types of a section's keys that the API answers as numbers.
struct SectionTypes {
  std::set<std::string, std::less<>> booleans;
  std::set<std::string, std::less<>> integers;
};

// A section's options as the API answers them: booleans 1/0 (a bare key 1), integers as numbers (a value that
// is not one stays text), everything else text; a repeated key keeps its last value. A bare key that is not a
// boolean is left out, as SectionConfig does.
Value SectionValues(const FileSection& section, const SectionTypes& types);

}  // namespace hainfra::pve
