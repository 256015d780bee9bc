// corosync.conf as a tree that keeps everything: sections (`name { ... }`), `key: value` pairs, comments
// and blank lines, in their order — so hainfra can change a link address or a totem key and write back
// every unknown section, key and comment unchanged. Plus the views hainfra manages (nodes, links, totem).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::pve {

struct CorosyncSection;

// One line's worth of content inside a section.
struct CorosyncItem {
  enum class Type { kBlank, kComment, kPair, kSection };
  Type type = Type::kBlank;
  std::string text;   // kComment: the line after its indentation ("# ..."); kPair: the key
  std::string value;  // kPair: the value (trimmed)
  std::shared_ptr<CorosyncSection> section;  // kSection

  CorosyncItem() = default;
  CorosyncItem(Type t, std::string txt, std::string val, std::shared_ptr<CorosyncSection> sec)
      : type(t), text(std::move(txt)), value(std::move(val)), section(std::move(sec)) {}
  // Copies are deep: an edited copy of a tree never changes the original.
  CorosyncItem(const CorosyncItem& other);
  CorosyncItem& operator=(const CorosyncItem& other);
  CorosyncItem(CorosyncItem&&) noexcept = default;
  CorosyncItem& operator=(CorosyncItem&&) noexcept = default;
  ~CorosyncItem() = default;
};

struct CorosyncSection {
  std::string name;  // empty for the file's top level
  std::vector<CorosyncItem> items;

  // The value of the first `key`, or nullopt.
  std::optional<std::string> Get(std::string_view key) const;
  // Sets the first `key` (keeping its place) or appends it.
  void Set(std::string_view key, std::string value);
  // Removes every `key`; true when one was there.
  bool Erase(std::string_view key);
  // The child sections named `name`, in order.
  std::vector<CorosyncSection*> Sections(std::string_view name);
  std::vector<const CorosyncSection*> Sections(std::string_view name) const;
  // The first child section named `name`, created at the end when absent.
  CorosyncSection& Child(std::string_view name);
};

// Parses corosync's config syntax. Errors name the line: "corosync.conf:12: unmatched '}'".
Result<CorosyncSection> ParseCorosyncConf(std::string_view text, std::string_view file = "corosync.conf");
// Writes the tree back, indenting two spaces per level as Proxmox does; parse → format gives the input
// back for files in that layout.
std::string FormatCorosyncConf(const CorosyncSection& root);

// What hainfra manages, read from the tree.
struct CorosyncNodeEntry {
  std::string name;
  int nodeid = 0;
  int quorum_votes = 1;
  std::map<int, std::string> links;  // link number -> address (ringN_addr)
};
struct CorosyncView {
  std::string cluster_name;
  int config_version = 0;
  std::vector<CorosyncNodeEntry> nodes;               // in file order
  std::map<int, std::map<std::string, std::string>> interfaces;  // linknumber -> the interface's other keys
  std::map<std::string, std::string> totem;           // totem's plain keys (not interface sections)
};
Result<CorosyncView> ReadCorosyncView(const CorosyncSection& root);

// Sets node `name`'s address on `link` (empty address: removes it); kNotFound for an unknown node.
Status SetLinkAddress(CorosyncSection& root, std::string_view name, int link, const std::string& address);
// config_version + 1 (kInvalidArgument when missing or not a number).
Status BumpConfigVersion(CorosyncSection& root);

}  // namespace hainfra::pve
