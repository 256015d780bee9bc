// /nodes/{node}/apt: package versions (from NodeFacts), the update index (aptupdate task), repositories
// (enable/disable, add a standard Proxmox repository) and changelogs.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/apt_sources.h"

namespace pvesim {

namespace {

const char* kFiles[] = {"/etc/apt/sources.list", "/etc/apt/sources.list.d/debian.sources",
                        "/etc/apt/sources.list.d/pve-enterprise.list", "/etc/apt/sources.list.d/pve-enterprise.sources",
                        "/etc/apt/sources.list.d/ceph.list", "/etc/apt/sources.list.d/ceph.sources",
                        "/etc/apt/sources.list.d/proxmox.sources", "/etc/apt/sources.list.d/pve-no-subscription.list"};

std::map<std::string, std::string> SourceFiles(Simulator& sim, const std::string& node) {
  std::map<std::string, std::string> files;
  for (const char* path : kFiles)
    if (auto text = sim.facts().ReadNodeFile(node, path)) files[path] = *text;
  return files;
}

Result<Reply> ChangeRepository(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto files = SourceFiles(c.sim, c.node);
  json current = RepositoriesJson(c.sim.pve(), files);
  if (auto digest = c.params.Str("digest"); digest && *digest != current["digest"])
    return Die("detected modified configuration - file changed by other user? Try again.");
  std::string path = c.params.StrOr("path", "");
  if (!files.contains(path)) return Die("unable to find file '" + path + "'");
  AptFile f = ParseAptFile(path, files[path]);
  long long index = c.params.Int("index").value_or(-1);
  if (index < 0 || index >= static_cast<long long>(f.repositories.size()))
    return Die("unable to find repository with index " + std::to_string(index) + " in file '" + path + "'");
  if (c.params.Has("enabled")) f.repositories[static_cast<size_t>(index)].enabled = c.params.Bool("enabled");
  if (auto st = c.sim.facts().WriteNodeFile(c.node, path, WriteAptFile(f)); !st) return Fail(st.error());
  c.sim.MarkDirty();
  return Reply(nullptr);
}

Result<Reply> AddStandardRepository(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto files = SourceFiles(c.sim, c.node);
  json current = RepositoriesJson(c.sim.pve(), files);
  if (auto digest = c.params.Str("digest"); digest && *digest != current["digest"])
    return Die("detected modified configuration - file changed by other user? Try again.");
  std::string handle = c.params.StrOr("handle", "");
  const StandardRepo* repo = nullptr;
  auto repos = StandardRepos(c.sim.pve());
  for (const auto& r : repos)
    if (r.handle == handle) repo = &r;
  if (!repo) return Die("unknown handle '" + handle + "'");
  // Already configured (maybe disabled): enable it where it is.
  for (auto& [path, text] : files) {
    AptFile f = ParseAptFile(path, text);
    for (auto& r : f.repositories) {
      if (r.uris.empty() || r.uris[0] != repo->uri) continue;
      if (std::find(r.components.begin(), r.components.end(), repo->component) == r.components.end()) continue;
      r.enabled = true;
      if (auto st = c.sim.facts().WriteNodeFile(c.node, path, WriteAptFile(f)); !st) return Fail(st.error());
      c.sim.MarkDirty();
      return Reply(nullptr);
    }
  }
  AptRepository r;
  r.types = {"deb"};
  r.uris = {repo->uri};
  r.suites = {Codename(c.sim.pve())};
  r.components = {repo->component};
  std::string path;
  if (c.sim.pve() == 9) {
    r.options.push_back({"Signed-By", {"/usr/share/keyrings/proxmox-archive-keyring.gpg"}});
    path = handle.rfind("ceph-", 0) == 0 ? "/etc/apt/sources.list.d/ceph.sources" : "/etc/apt/sources.list.d/proxmox.sources";
  } else {
    path = handle.rfind("ceph-", 0) == 0 ? "/etc/apt/sources.list.d/ceph.list" : "/etc/apt/sources.list";
  }
  AptFile f = ParseAptFile(path, files.contains(path) ? files[path] : "");
  f.repositories.push_back(r);
  if (auto st = c.sim.facts().WriteNodeFile(c.node, path, WriteAptFile(f)); !st) return Fail(st.error());
  c.sim.MarkDirty();
  return Reply(nullptr);
}

}  // namespace

void AddAptRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/apt", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"changelog", "repositories", "update", "versions"}, "id"));
  });
  t.Add("GET", "/nodes/{node}/apt/versions", kProxyNode, [](Call& c) -> Result<Reply> {
    json out = c.sim.facts().PackageVersions(c.node);
    std::string kernel;
    {
      std::lock_guard<std::mutex> lock(c.sim.mu());
      auto it = c.sim.runtime().running_kernel.find(c.node);
      if (it != c.sim.runtime().running_kernel.end()) kernel = it->second;
    }
    // The running kernel is the one the node booted, not the newest installed (that needs a reboot).
    for (auto& e : out)
      if (!kernel.empty() && e.contains("RunningKernel")) e["RunningKernel"] = kernel;
    return Reply(out);
  });
  t.Add("GET", "/nodes/{node}/apt/update", kProxyNode, [](Call&) -> Result<Reply> { return Reply(json::array()); });
  t.Add("POST", "/nodes/{node}/apt/update", kProxyNode, [](Call& c) -> Result<Reply> {
    Simulator& sim = c.sim;
    return Reply(sim.tasks().Start(c.node, "aptupdate", "", c.caller.Userid(), [](TaskContext& ctx) -> Status {
      ctx.Log("starting apt-get update");
      if (auto st = ctx.Work(); !st) return st;
      ctx.Log("Reading package lists...");
      return Ok();
    }));
  });
  t.Add("GET", "/nodes/{node}/apt/repositories", kProxyNode, [](Call& c) -> Result<Reply> {
    return Reply(RepositoriesJson(c.sim.pve(), SourceFiles(c.sim, c.node)));
  });
  t.Add("POST", "/nodes/{node}/apt/repositories", kProxyNode, ChangeRepository);
  t.Add("PUT", "/nodes/{node}/apt/repositories", kProxyNode, AddStandardRepository);
  t.Add("GET", "/nodes/{node}/apt/changelog", kProxyNode, [](Call& c) -> Result<Reply> {
    std::string name = c.params.StrOr("name", "");
    return Reply(name + " (" + c.params.StrOr("version", "current") + ") " + Codename(c.sim.pve()) +
                 "; urgency=medium\n\n  * changelog not available in pvesim\n");
  });
}

}  // namespace pvesim
