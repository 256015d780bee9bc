// Tables that map a kind's spec fields to Proxmox API keys with the value's spelling on each side, so a
// kind's translation pair is a table plus its few special cases: `max_protected_backups` <-> the integer
// `max-protected-backups`, `vms: [100, 101]` <-> `vmid: "100,101"`, `prune` <-> `prune-backups`, ...
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::pve {

enum class Spelling {
  kText,       // a string as is
  kInt,        // an integer (Proxmox may answer "5")
  kNumber,     // a number (integer or float)
  kBool,       // true/false <-> 1/0
  kList,       // ["a", "b"] <-> "a,b"
  kSpaceList,  // ["a", "b"] <-> "a b" (monitor lists); any Proxmox separator is read
  kIntList,    // [100, 101] <-> "100,101"
  kPrune,      // {keep_daily: 7} <-> "keep-daily=7" (or the object some answers carry)
  kNodes,      // {n1: 2, n2: 0} <-> "n1:2,n2"
  kArray,      // ["a", "b"] <-> ["a", "b"] (an API array parameter: the form repeats the key)
};

struct FieldMapping {
  std::string_view spec;  // spec field name
  std::string_view api;   // API key
  Spelling spelling = Spelling::kText;
};

using FieldTable = std::span<const FieldMapping>;

// The spec fields of an API object by the table; keys the table does not name, and nulls, are left out.
// A value in an unexpected spelling is an error naming the API key.
Result<Value> DecodeFields(const Value& object, FieldTable table);

// The API parameters of a spec body by the table. Empty lists, maps, objects and strings are left out
// (an update then deletes the key).
Value EncodeFields(const Value& body, FieldTable table);

// The API keys the table maps `field` to (empty when the table does not name it).
std::vector<std::string> ApiKeysOf(std::string_view field, FieldTable table);

}  // namespace hainfra::pve
