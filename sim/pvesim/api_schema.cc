#include "sim/pvesim/api_schema.h"

#include <cstddef>
#include <fstream>
#include <iterator>
#include <sstream>

namespace pvesim {

using json = nlohmann::json;

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

namespace {

// An iterator of this file's own type: the JSON parser instantiated for it exists in this file only, so it
// is the optimized copy this file is compiled to in sanitizer builds (sim/pvesim/CMakeLists.txt), not a
// debug copy of a parser another file instantiated too.
struct SchemaCursor {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* at = nullptr;
  reference operator*() const { return *at; }
  SchemaCursor& operator++() {
    ++at;
    return *this;
  }
  SchemaCursor operator++(int) {
    SchemaCursor before = *this;
    ++at;
    return before;
  }
  bool operator==(const SchemaCursor&) const = default;
};

}  // namespace

Result<std::unique_ptr<ApiSchema>> ApiSchema::Load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Die("unable to read API schema '" + file + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json root;
  try {
    const std::string text = buffer.str();
    root = json::parse(SchemaCursor{text.data()}, SchemaCursor{text.data() + text.size()});
  } catch (const json::exception& e) {
    return Die("API schema '" + file + "' is not valid JSON: " + e.what());
  }
  return FromJson(std::move(root));
}

Result<std::unique_ptr<ApiSchema>> ApiSchema::FromJson(json root) {
  if (!root.is_array()) return Die("API schema is not an array of path trees");
  auto schema = std::unique_ptr<ApiSchema>(new ApiSchema());
  schema->root_json_ = std::move(root);
  for (const auto& tree : schema->root_json_) schema->Insert(tree);
  return schema;
}

void ApiSchema::Insert(const json& tree_node) {
  if (!tree_node.is_object() || !tree_node.contains("path")) return;
  std::string path = tree_node["path"];
  Node* node = &root_;
  for (const auto& seg : SplitPath(path)) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (!node->param) node->param = std::make_unique<Node>();
      node->param_name = seg.substr(1, seg.size() - 2);
      node = node->param.get();
    } else {
      auto& child = node->literal[seg];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  node->template_path = path;
  if (tree_node.contains("info") && tree_node["info"].is_object()) {
    node->info = &tree_node["info"];
    endpoints_ += tree_node["info"].size();
  }
  if (tree_node.contains("children")) {
    for (const auto& child : tree_node["children"]) Insert(child);
  }
}

namespace {

struct Walker {
  const std::vector<std::string>& segs;
  std::map<std::string, std::string> params;

  template <typename NodeT>
  const NodeT* Walk(const NodeT* node, size_t i) {
    if (i == segs.size()) return node->template_path.empty() && node != nullptr ? nullptr : node;
    auto it = node->literal.find(segs[i]);
    if (it != node->literal.end()) {
      if (const NodeT* found = Walk(it->second.get(), i + 1)) return found;
    }
    if (node->param && node->param_name == "volume" && node->param->literal.empty() && !node->param->param) {
      // A trailing {volume} takes the rest of the path: volume IDs hold slashes ("local:iso/x.iso").
      std::string rest = segs[i];
      for (size_t j = i + 1; j < segs.size(); ++j) rest += "/" + segs[j];
      params[node->param_name] = rest;
      return node->param.get();
    }
    if (node->param) {
      params[node->param_name] = segs[i];
      if (const NodeT* found = Walk(node->param.get(), i + 1)) return found;
      params.erase(node->param_name);
    }
    return nullptr;
  }
};

}  // namespace

ApiSchema::Match ApiSchema::Find(const std::string& method, const std::string& path) const {
  Match match;
  auto segs = SplitPath(path);
  Walker walker{segs, {}};
  const Node* node = walker.Walk(&root_, 0);
  if (node == nullptr) return match;
  match.path_found = true;
  match.path_template = node->template_path;
  match.path_params = std::move(walker.params);
  if (node->info && node->info->contains(method)) match.info = &(*node->info)[method];
  return match;
}

const json* ApiSchema::Info(const std::string& method, const std::string& path_template) const {
  Match m = Find(method, path_template);
  if (!m.path_found || m.path_template != path_template) return nullptr;
  return m.info;
}

std::vector<std::string> ApiSchema::PathTemplates() const {
  std::vector<std::string> out;
  std::vector<const Node*> stack{&root_};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (!n->template_path.empty()) out.push_back(n->template_path);
    for (const auto& [seg, child] : n->literal) stack.push_back(child.get());
    if (n->param) stack.push_back(n->param.get());
  }
  return out;
}

}  // namespace pvesim
