// The PVE API schema (pve-docs' apidata.js as JSON), parsed once at start and indexed by path, so a
// request finds its method-info (parameters, permissions, allowtoken, proxyto) in a few map lookups.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

class ApiSchema {
 public:
  struct Match {
    bool path_found = false;
    std::string path_template;                       // "/nodes/{node}/qemu/{vmid}/config"
    const nlohmann::json* info = nullptr;            // method-info, nullptr when the method does not exist
    std::map<std::string, std::string> path_params;  // {"node": "pve-01", "vmid": "100"}
  };

  static Result<std::unique_ptr<ApiSchema>> Load(const std::string& file);
  static Result<std::unique_ptr<ApiSchema>> FromJson(nlohmann::json root);

  // Resolves a request path (relative to /api2/json) and method; literal segments win over {params}.
  Match Find(const std::string& method, const std::string& path) const;

  // Method-info of an exact path template, or nullptr.
  const nlohmann::json* Info(const std::string& method, const std::string& path_template) const;

  std::vector<std::string> PathTemplates() const;
  size_t EndpointCount() const { return endpoints_; }

 private:
  struct Node {
    std::string template_path;
    const nlohmann::json* info = nullptr;  // the "info" object of this path (methods)
    std::map<std::string, std::unique_ptr<Node>> literal;
    std::unique_ptr<Node> param;           // the {name} child
    std::string param_name;
  };

  void Insert(const nlohmann::json& tree_node);

  nlohmann::json root_json_;
  Node root_;
  size_t endpoints_ = 0;
};

// Splits "/a/b/c" into {"a","b","c"}; empty segments dropped.
std::vector<std::string> SplitPath(const std::string& path);

}  // namespace pvesim
