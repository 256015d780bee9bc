// The field definitions that are the single source of truth for the spec: the YAML loader validates
// against them, the JSON Schema is generated from them, and the diff reads their semantics from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hainfra {

enum class FieldType {
  kString,
  kInt,
  kNumber,
  kBool,
  kEnum,    // a string out of `enum_values`
  kSize,    // a byte size as Proxmox writes it: 32G, 512M, 1T (diffed in bytes)
  kObject,  // fixed keys: `fields`
  kList,    // elements described by `element`
  kMap,     // free keys (e.g. sshd options, HA node priorities), values described by `element`
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  std::string doc;  // one line, used in docs/spec.md and the JSON Schema `description`

  bool required = false;
  std::optional<int64_t> min;            // kInt / kNumber / kSize (bytes) lower bound
  std::optional<int64_t> max;            // upper bound
  std::optional<size_t> max_length;      // kString
  std::string pattern;                   // kString: ECMAScript regex the whole value must match
  std::string format;                    // kString: a named Proxmox format ("pve-node", "cidr", "ipv4", ...)
  std::vector<std::string> enum_values;  // kEnum

  std::vector<FieldSpec> fields;         // kObject: its keys
  std::vector<FieldSpec> element;        // kList / kMap: exactly one entry, the element (empty otherwise)

  std::string ref;   // the value names an object of this spec kind ("node", "storage", "vm", ...)
  std::string key;   // kList of objects: the identity key of an element ("slot", "iface")

  // Diff semantics.
  bool set = false;          // kList: order does not matter
  bool whole = true;         // kList / kMap: entries not written in the spec are drift (owned whole)
  bool force_new = false;    // a change means the object must be replaced
  bool reboot = false;       // a change takes effect only after the guest restarts
  bool secret = false;       // never printed, logged or written to a plan file
  bool managed = true;       // false: settings hainfra reads but never diffs (connection settings)

  std::string example;       // a YAML snippet for the docs
};

// Lookup of a direct child of an object spec; nullptr when there is none.
const FieldSpec* FindField(const FieldSpec& object, std::string_view name);

}  // namespace hainfra
