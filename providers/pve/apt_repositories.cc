#include "providers/pve/apt_repositories.h"

#include <algorithm>
#include <cstdio>

namespace hainfra::pve {
namespace {

// What proxmox-apt's handle table says for product "pve": package type is always `deb`.
struct HandleInfo {
  std::string handle;
  std::vector<std::string> uris;  // any of them (trailing '/' ignored)
  std::string component;          // the component the repository line must carry
  std::string legacy_component;   // also accepted (ceph-quincy's old `main`, PVE 8's `pvetest`), or empty
};

const std::vector<HandleInfo>& Handles() {
  static const std::vector<HandleInfo> kHandles = [] {
    std::vector<HandleInfo> h = {
        {"enterprise", {"https://enterprise.proxmox.com/debian/pve", "https://enterprise.proxmox.com/debian"},
         "pve-enterprise", ""},
        {"no-subscription", {"http://download.proxmox.com/debian/pve", "http://download.proxmox.com/debian"},
         "pve-no-subscription", ""},
        // PVE 9 (trixie) renamed the test component `pvetest` to `pve-test`.
        {"test", {"http://download.proxmox.com/debian/pve", "http://download.proxmox.com/debian"}, "pve-test",
         "pvetest"},
    };
    for (const std::string release : {"squid", "reef", "quincy"}) {
      const std::string ceph = "ceph-" + release;
      h.push_back({ceph + "-enterprise", {"https://enterprise.proxmox.com/debian/" + ceph}, "enterprise", ""});
      h.push_back({ceph + "-no-subscription", {"http://download.proxmox.com/debian/" + ceph}, "no-subscription",
                   release == "quincy" ? "main" : ""});
      h.push_back({ceph + "-test", {"http://download.proxmox.com/debian/" + ceph}, "test", ""});
    }
    return h;
  }();
  return kHandles;
}

const HandleInfo* FindHandle(std::string_view handle) {
  for (const HandleInfo& h : Handles()) {
    if (h.handle == handle) return &h;
  }
  return nullptr;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Proxmox's booleans: JSON true/false, or 0/1 as numbers or strings.
std::optional<bool> Truth(const Value& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>() != 0;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "1" || s == "true") return true;
    if (s == "0" || s == "false") return false;
  }
  return std::nullopt;
}

std::vector<std::string> Strings(const Value& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const Value& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// A digest as text: hex strings stay; an array of byte values (older proxmox-apt) becomes hex.
std::string DigestText(const Value& v) {
  if (v.is_string()) return v.get<std::string>();
  std::string out;
  if (!v.is_array()) return out;
  for (const Value& b : v) {
    if (!b.is_number_integer()) return {};
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned>(b.get<int64_t>() & 0xff));
    out += hex;
  }
  return out;
}

}  // namespace

bool AptRepositories::Enabled(std::string_view handle) const {
  auto it = standard.find(std::string(handle));
  return it != standard.end() && it->second.value_or(false);
}

Result<AptRepositories> ParseAptRepositories(const Value& data) {
  if (!data.is_object()) return Fail(Code::kInternal, "apt/repositories: the answer is not an object");
  AptRepositories out;
  if (auto d = data.find("digest"); d != data.end()) out.digest = DigestText(*d);
  auto files = data.find("files");
  if (files == data.end() || !files->is_array()) {
    return Fail(Code::kInternal, "apt/repositories: the answer has no `files` list");
  }
  for (const Value& file : *files) {
    if (!file.is_object()) continue;
    auto path = file.find("path");
    auto repos = file.find("repositories");
    if (path == file.end() || !path->is_string() || repos == file.end() || !repos->is_array()) {
      return Fail(Code::kInternal, "apt/repositories: a file entry lacks `path` or `repositories`");
    }
    int index = 0;
    for (const Value& repo : *repos) {
      AptRepository r;
      r.path = path->get<std::string>();
      r.index = index++;
      if (!repo.is_object()) continue;
      r.types = Strings(repo, "Types");
      r.uris = Strings(repo, "URIs");
      r.suites = Strings(repo, "Suites");
      r.components = Strings(repo, "Components");
      auto enabled = repo.find("Enabled");
      r.enabled = enabled == repo.end() ? true : Truth(*enabled).value_or(true);
      out.repositories.push_back(std::move(r));
    }
  }
  if (auto errors = data.find("errors"); errors != data.end() && errors->is_array()) {
    for (const Value& e : *errors) {
      if (!e.is_object()) continue;
      out.errors.push_back(e.value("path", std::string("?")) + ": " + e.value("error", std::string("?")));
    }
  }
  if (auto standard = data.find("standard-repos"); standard != data.end() && standard->is_array()) {
    for (const Value& s : *standard) {
      if (!s.is_object() || !s.contains("handle") || !s["handle"].is_string()) continue;
      const std::string handle = s["handle"].get<std::string>();
      std::optional<bool> status;
      if (auto st = s.find("status"); st != s.end() && !st->is_null()) status = Truth(*st);
      out.standard[handle] = status;
      out.offered.push_back(handle);
    }
  }
  return out;
}

const std::vector<std::string>& KnownRepositoryHandles() {
  static const std::vector<std::string> kKnown = [] {
    std::vector<std::string> out;
    for (const HandleInfo& h : Handles()) out.push_back(h.handle);
    return out;
  }();
  return kKnown;
}

std::string DebianSuite(int pve_major) { return pve_major <= 8 ? "bookworm" : "trixie"; }

bool RefersTo(const AptRepository& repository, std::string_view handle, std::string_view suite) {
  const HandleInfo* info = FindHandle(handle);
  if (info == nullptr) return false;
  if (!Contains(repository.types, "deb")) return false;
  if (!Contains(repository.suites, suite)) return false;
  const bool component = Contains(repository.components, info->component) ||
                         (!info->legacy_component.empty() && Contains(repository.components, info->legacy_component));
  if (!component) return false;
  return std::any_of(repository.uris.begin(), repository.uris.end(), [&](std::string_view uri) {
    while (uri.ends_with('/')) uri.remove_suffix(1);
    return std::find(info->uris.begin(), info->uris.end(), uri) != info->uris.end();
  });
}

}  // namespace hainfra::pve
