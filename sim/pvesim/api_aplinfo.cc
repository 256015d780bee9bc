// /nodes/{node}/aplinfo: the appliance index `pveam` reads (a few entries in the shape pve-manager's
// PVE::APLInfo gives them) and downloading a template from it to a storage (a `download` task checking
// the index's sha512sum, as download_file_from_url does with hash_required).
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/storage_content.h"

namespace pvesim {

namespace {

constexpr const char* kImageBase = "http://download.proxmox.com/images/";

struct Appliance {
  const char* package;
  const char* version;
  const char* os;
  const char* section;
  const char* location;
  const char* headline;
  const char* infopage;
};

// The index of the simulated download server. Checksums are those of the simulated bytes of each source
// URL (storage_content.h), so a download from the index verifies.
const std::vector<Appliance>& Appliances() {
  static const std::vector<Appliance> list = {
      {"alpine-3.22-default", "20250617", "alpine", "system", "system/alpine-3.22-default_20250617_amd64.tar.xz",
       "LXC default image for alpine 3.22 (20250617)", "https://linuxcontainers.org"},
      {"debian-12-standard", "12.7-1", "debian-12", "system", "system/debian-12-standard_12.7-1_amd64.tar.zst",
       "Debian 12 Bookworm (standard)", "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions"},
      {"debian-13-standard", "13.1-2", "debian-13", "system", "system/debian-13-standard_13.1-2_amd64.tar.zst",
       "Debian 13 Trixie (standard)", "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions"},
      {"rockylinux-9-default", "20240912", "rockylinux", "system", "system/rockylinux-9-default_20240912_amd64.tar.xz",
       "LXC default image for rockylinux 9 (20240912)", "https://linuxcontainers.org"},
      {"ubuntu-24.04-standard", "24.04-2", "ubuntu-24.04", "system", "system/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
       "Ubuntu 24.04 Noble (standard)", "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions"},
      {"debian-12-turnkey-wordpress", "18.1-1", "debian-12", "turnkeylinux",
       "turnkeylinux/debian-12-turnkey-wordpress_18.1-1_amd64.tar.gz", "TurnKey WordPress",
       "https://www.turnkeylinux.org/wordpress"},
  };
  return list;
}

json ApplianceJson(const Appliance& a) {
  std::string location = a.location, source = std::string(kImageBase) + a.location;
  std::string bytes = SimulatedBytes(source);
  bool turnkey = std::string(a.section) == "turnkeylinux";
  return {{"package", a.package}, {"version", a.version}, {"type", "lxc"}, {"os", a.os}, {"section", a.section},
          {"maintainer", turnkey ? "Turnkey Linux <turnkey-dev@turnkeylinux.org>" : "Proxmox Support Team <support@proxmox.com>"},
          {"architecture", "amd64"}, {"location", location}, {"infopage", a.infopage},
          {"md5sum", HexDigest("md5", bytes).value_or("")}, {"sha512sum", HexDigest("sha512", bytes).value_or("")},
          {"template", location.substr(location.rfind('/') + 1)}, {"source", source}, {"headline", a.headline},
          {"description", std::string(a.headline) + "\n"}};
}

Result<Reply> DownloadTemplate(Call& c) {
  std::string storage = c.params.StrOr("storage", ""), template_name = c.params.StrOr("template", "");
  const Appliance* found = nullptr;
  for (const auto& a : Appliances())
    if (ApplianceJson(a)["template"] == template_name) found = &a;
  if (!found) return ParamError("template", "no such template");
  auto s = FileStorageFor(c.sim, storage, c.node, "vztmpl");
  if (!s) {
    if (s.error().message.find("content-type") != std::string::npos)
      return Die("storage '" + storage + "' does not support templates");
    return Fail(s.error());
  }
  json entry = ApplianceJson(*found);
  Simulator& sim = c.sim;
  std::string node = c.node, volname = "vztmpl/" + template_name, source = entry["source"], sha = entry["sha512sum"];
  Section section = *s;
  std::string upid = sim.tasks().Start(node, "download", template_name, c.caller.Userid(),
                                       [&sim, section, node, volname, source, sha](TaskContext& ctx) -> Status {
                                         bool present;
                                         {
                                           std::lock_guard<std::mutex> lock(sim.mu());
                                           present = StoredFiles(sim, section, node).contains(volname);
                                         }
                                         if (present) {
                                           ctx.Log("file already exists " + sha + " - no need to download");
                                           return Ok();
                                         }
                                         return SimulateDownload(sim, ctx, section, node, volname, source, "sha512", sha);
                                       });
  return Reply(upid);
}

}  // namespace

void AddAplinfoRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/aplinfo", kProxyNode, [](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& a : Appliances()) out.push_back(ApplianceJson(a));
    return Reply(out);
  });
  t.Add("POST", "/nodes/{node}/aplinfo", kProxyNode, DownloadTemplate);
}

}  // namespace pvesim
