// PVE::SectionConfig files (storage.cfg, ha/*.cfg, sdn/*.cfg, jobs.cfg): "<type>: <id>" headers with
// tab-indented "key value" lines, parsed to typed values and written in SectionConfig's order (required
// options first, then the rest, sorted; a bare "disable" line; booleans as 1/0).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

struct SectionOption {
  std::string type = "string";  // string, boolean, integer, number, array (a repeated key)
  bool required = false;
};

// Schema shorthands: an optional and a required option of a type.
SectionOption Opt(const char* type = "string");
SectionOption Req(const char* type = "string");

// The options of each section type of one file.
struct SectionSchema {
  std::map<std::string, std::map<std::string, SectionOption>> types;
};

struct Section {
  std::string type;
  std::string id;
  nlohmann::json values = nlohmann::json::object();  // typed by the schema; unknown keys stay strings
};

struct SectionFile {
  std::vector<Section> sections;  // in file order
  std::string digest;             // SHA-1 hex of the raw text ("" file -> sha1 of "")

  Section* Find(const std::string& id);
  const Section* Find(const std::string& id) const;
  bool Remove(const std::string& id);
};

SectionFile ParseSectionConfig(const std::string& raw, const SectionSchema& schema);
std::string WriteSectionConfig(const SectionFile& file, const SectionSchema& schema);

// SHA-1 hex digest, as Digest::SHA::sha1_hex.
std::string Sha1Hex(const std::string& data);

}  // namespace pvesim
