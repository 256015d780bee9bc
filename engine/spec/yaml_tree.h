// The YAML of one spec file as a tree that remembers where everything was written. Built from libyaml's
// parser events (engine/spec/yaml_reader.cc), which lets us see duplicate keys, quoting and anchors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hainfra::spec {

// A 1-based position in the file (the column counts characters).
struct Mark {
  int line = 0;
  int column = 0;
};

struct YamlNode;
// Nodes live in their document's arena; an alias points at its anchor's node (a DAG, never a cycle).
using YamlNodePtr = const YamlNode*;

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

// Owns every node of one document. Nodes are handed out from large chunks (a spec has hundreds of thousands
// of nodes) and never move while the tree is built.
class YamlArena {
 public:
  YamlNode* New() {
    if (used_ == kChunk) {
      chunks_.push_back(std::make_unique<YamlNode[]>(kChunk));
      used_ = 0;
    }
    return &chunks_.back()[used_++];
  }

 private:
  static constexpr size_t kChunk = 256;  // ~27 KiB: below glibc's consolidation threshold when freed
  std::vector<std::unique_ptr<YamlNode[]>> chunks_;
  size_t used_ = kChunk;
};

}  // namespace hainfra::spec
