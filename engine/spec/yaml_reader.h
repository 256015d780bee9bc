// Reads one YAML file into a located tree, turning every problem (bad bytes, tabs, syntax errors, duplicate
// keys, runaway aliases, deep nesting, several documents) into diagnostics. Never throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/spec/yaml_tree.h"
#include "hainfra/location.h"

namespace hainfra::spec {

struct YamlDocument {
  YamlNodePtr root = nullptr;         // nullptr when the file is empty or could not be read
  std::unique_ptr<YamlArena> nodes;   // owns `root` and everything below it
  Diagnostics diagnostics;            // located in `file`
};

// Limits that keep hostile input from costing more than a real spec ever would.
inline constexpr size_t kMaxFileBytes = 64u << 20;
inline constexpr int kMaxDepth = 64;
inline constexpr uint64_t kMaxExpandedNodes = 20'000'000;

YamlDocument ReadYaml(std::string_view text, const std::string& file);

}  // namespace hainfra::spec
