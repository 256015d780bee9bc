#include "sim/pvesim/apt_sources.h"

#include <openssl/sha.h>

#include <sstream>

namespace pvesim {

using json = nlohmann::json;

namespace {

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::string Join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

void ParseList(AptFile& f, const std::string& text) {
  std::istringstream in(text);
  std::string comment;
  for (std::string line; std::getline(in, line);) {
    std::string t = Trim(line);
    bool enabled = true;
    if (t.rfind('#', 0) == 0) {
      std::string rest = Trim(t.substr(1));
      if (rest.rfind("deb ", 0) == 0 || rest.rfind("deb-src ", 0) == 0) {
        enabled = false;
        t = rest;
      } else {
        comment += rest + "\n";
        continue;
      }
    }
    if (t.empty()) {
      comment.clear();
      continue;
    }
    auto w = Words(t);
    if (w.size() < 3) continue;
    AptRepository r;
    r.enabled = enabled;
    r.types = {w[0]};
    size_t i = 1;
    if (w[1].front() == '[') {
      std::string opts;
      for (; i < w.size(); ++i) {
        opts += (opts.empty() ? "" : " ") + w[i];
        if (w[i].back() == ']') { ++i; break; }
      }
      for (const auto& kv : Words(opts.substr(1, opts.size() - 2))) {
        auto eq = kv.find('=');
        if (eq != std::string::npos) r.options.push_back({kv.substr(0, eq), {kv.substr(eq + 1)}});
      }
    }
    if (i + 1 >= w.size()) continue;
    r.uris = {w[i]};
    r.suites = {w[i + 1]};
    r.components.assign(w.begin() + static_cast<long>(i) + 2, w.end());
    r.comment = comment;
    comment.clear();
    f.repositories.push_back(r);
  }
}

void ParseSources(AptFile& f, const std::string& text) {
  std::istringstream in(text);
  AptRepository r;
  bool any = false;
  std::string comment;
  auto flush = [&]() {
    if (any) {
      r.comment = comment;
      f.repositories.push_back(r);
    }
    r = AptRepository{};
    any = false;
    comment.clear();
  };
  for (std::string line; std::getline(in, line);) {
    std::string t = Trim(line);
    if (t.empty()) { flush(); continue; }
    if (t[0] == '#') { comment += Trim(t.substr(1)) + "\n"; continue; }
    auto colon = t.find(':');
    if (colon == std::string::npos) continue;
    std::string key = t.substr(0, colon), value = Trim(t.substr(colon + 1));
    any = true;
    if (key == "Types") r.types = Words(value);
    else if (key == "URIs") r.uris = Words(value);
    else if (key == "Suites") r.suites = Words(value);
    else if (key == "Components") r.components = Words(value);
    else if (key == "Enabled") r.enabled = !(value == "no" || value == "false" || value == "0");
    else r.options.push_back({key, Words(value)});
  }
  flush();
}

std::vector<unsigned char> Sha256(const std::string& data) {
  std::vector<unsigned char> md(SHA256_DIGEST_LENGTH);
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data());
  return md;
}

}  // namespace

AptFile ParseAptFile(const std::string& path, const std::string& text) {
  AptFile f;
  f.path = path;
  f.file_type = path.ends_with(".sources") ? "sources" : "list";
  if (f.file_type == "sources") ParseSources(f, text); else ParseList(f, text);
  return f;
}

std::string WriteAptFile(const AptFile& file) {
  std::string out;
  for (size_t i = 0; i < file.repositories.size(); ++i) {
    const AptRepository& r = file.repositories[i];
    std::istringstream c(r.comment);
    std::string comments;
    for (std::string l; std::getline(c, l);) comments += "# " + l + "\n";
    if (file.file_type == "sources") {
      if (i) out += "\n";
      out += comments + "Types: " + Join(r.types) + "\nURIs: " + Join(r.uris) + "\nSuites: " + Join(r.suites) +
             "\nComponents: " + Join(r.components) + "\n";
      for (const auto& [k, v] : r.options) out += k + ": " + Join(v) + "\n";
      if (!r.enabled) out += "Enabled: false\n";
    } else {
      std::string opts;
      for (const auto& [k, v] : r.options) opts += (opts.empty() ? "" : " ") + k + "=" + Join(v, ",");
      out += comments + (r.enabled ? "" : "# ") + Join(r.types) + (opts.empty() ? "" : " [" + opts + "]") + " " +
             Join(r.uris) + " " + Join(r.suites) + " " + Join(r.components) + "\n";
    }
  }
  return out;
}

std::string Codename(int pve) { return pve == 8 ? "bookworm" : "trixie"; }

std::vector<StandardRepo> StandardRepos(int pve) {
  std::string ceph = pve == 8 ? "quincy" : "squid";
  std::string Ceph = pve == 8 ? "Quincy" : "Squid";
  std::vector<StandardRepo> repos = {
      {"enterprise", "Enterprise", "https://enterprise.proxmox.com/debian/pve", "pve-enterprise"},
      {"no-subscription", "No-Subscription", "http://download.proxmox.com/debian/pve", "pve-no-subscription"},
      {"test", "Test", "http://download.proxmox.com/debian/pve", "pve-test"},
      {"ceph-" + ceph + "-enterprise", "Ceph " + Ceph + " Enterprise", "https://enterprise.proxmox.com/debian/ceph-" + ceph, "enterprise"},
      {"ceph-" + ceph + "-no-subscription", "Ceph " + Ceph + " No-Subscription", "http://download.proxmox.com/debian/ceph-" + ceph, "no-subscription"},
      {"ceph-" + ceph + "-test", "Ceph " + Ceph + " Test", "http://download.proxmox.com/debian/ceph-" + ceph, "test"},
  };
  if (pve == 8) {
    repos.push_back({"ceph-reef-enterprise", "Ceph Reef Enterprise", "https://enterprise.proxmox.com/debian/ceph-reef", "enterprise"});
    repos.push_back({"ceph-reef-no-subscription", "Ceph Reef No-Subscription", "http://download.proxmox.com/debian/ceph-reef", "no-subscription"});
    repos.push_back({"ceph-reef-test", "Ceph Reef Test", "http://download.proxmox.com/debian/ceph-reef", "test"});
  }
  return repos;
}

json RepositoriesJson(int pve, const std::map<std::string, std::string>& files) {
  json out_files = json::array(), infos = json::array(), standard = json::array();
  std::string all;
  std::map<std::string, json> status;  // handle -> enabled
  for (const auto& [path, text] : files) {
    AptFile f = ParseAptFile(path, text);
    auto digest = Sha256(text);
    all += text;
    json repos = json::array();
    size_t index = 0;
    for (const auto& r : f.repositories) {
      json options = json::array();
      for (const auto& [k, v] : r.options) options.push_back({{"Key", k}, {"Values", v}});
      repos.push_back({{"Types", r.types}, {"URIs", r.uris}, {"Suites", r.suites}, {"Components", r.components},
                       {"Options", options}, {"Comment", r.comment}, {"FileType", f.file_type}, {"Enabled", r.enabled}});
      bool proxmox = !r.uris.empty() && r.uris[0].find("proxmox.com") != std::string::npos;
      infos.push_back({{"path", path}, {"index", index}, {"kind", "origin"}, {"message", proxmox ? "Proxmox" : "Debian"}});
      for (const auto& s : StandardRepos(pve)) {
        if (r.uris.empty() || r.uris[0] != s.uri) continue;
        if (std::find(r.components.begin(), r.components.end(), s.component) == r.components.end()) continue;
        status[s.handle] = status.contains(s.handle) ? json(status[s.handle].get<bool>() || r.enabled) : json(r.enabled);
      }
      ++index;
    }
    out_files.push_back({{"path", path}, {"file-type", f.file_type}, {"digest", digest}, {"repositories", repos}});
  }
  for (const auto& s : StandardRepos(pve)) {
    json e = {{"handle", s.handle}, {"name", s.name}};
    if (status.contains(s.handle)) e["status"] = status[s.handle];
    standard.push_back(e);
  }
  auto top = Sha256(all);
  char hex[3];
  std::string digest;
  for (unsigned char c : top) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    digest += hex;
  }
  return {{"digest", digest}, {"files", out_files}, {"errors", json::array()}, {"infos", infos}, {"standard-repos", standard}};
}

}  // namespace pvesim
