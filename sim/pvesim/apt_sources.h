// APT repository files as proxmox-apt reads them: one-line .list files and deb822 .sources files, with
// enabling/disabling and adding Proxmox's standard repositories, and the GET .../apt/repositories answer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

struct AptRepository {
  std::vector<std::string> types, uris, suites, components;
  std::vector<std::pair<std::string, std::vector<std::string>>> options;  // Key -> Values
  std::string comment;
  bool enabled = true;
};

struct AptFile {
  std::string path;
  std::string file_type;  // "list" or "sources"
  std::vector<AptRepository> repositories;
};

AptFile ParseAptFile(const std::string& path, const std::string& text);
std::string WriteAptFile(const AptFile& file);

// The standard Proxmox repositories of a release: handle -> (name, file line pieces).
struct StandardRepo {
  std::string handle, name, uri, component;
};
std::vector<StandardRepo> StandardRepos(int pve);
std::string Codename(int pve);

// GET /nodes/{node}/apt/repositories from the node's files (path -> content).
nlohmann::json RepositoriesJson(int pve, const std::map<std::string, std::string>& files);

}  // namespace pvesim
