// The YAML of one spec file as a tree that remembers where everything was written. Built from yaml-cpp's
// parser events (engine/spec/yaml_reader.cc), which lets us see duplicate keys, quoting and anchors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hainfra::spec {

// A 1-based position in the file (bytes for the column, like yaml-cpp).
struct Mark {
  int line = 0;
  int column = 0;
};

struct YamlNode;
// Nodes are shared: an alias points at its anchor's node (the tree is a DAG, never a cycle).
using YamlNodePtr = std::shared_ptr<const YamlNode>;

struct YamlEntry {
  std::string key;
  Mark key_at;
  YamlNodePtr value;
};

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Kind kind = Kind::kNull;
  Mark at;
  std::string text;   // kScalar: the value as written, quotes and escapes resolved
  bool plain = true;  // kScalar: plain scalars are typed (YAML 1.2 core); quoted or block ones are strings
  std::vector<YamlNodePtr> items;  // kSequence
  std::vector<YamlEntry> entries;  // kMap: file order, unique keys, `<<` merges resolved
  uint64_t weight = 1;             // nodes in this subtree with aliases expanded (saturating)
  bool invalid = false;            // already reported (e.g. an unsupported tag): ignore it without a message
};

}  // namespace hainfra::spec
