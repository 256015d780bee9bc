// /nodes/{node}/storage/{storage}/content (guest disk images plus the ISO images, container templates and
// import images of storage_content.h), a volume's attributes and removal, and download-url, as
// pve-storage's API2::Storage::Content and API2::Storage::Status do them.
#include <cstdlib>
#include <thread>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/storage_config.h"
#include "sim/pvesim/storage_content.h"

namespace pvesim {

namespace {

// The guests' disks on a storage, as list_images reports them.
void AddGuestImages(Simulator& sim, const std::string& id, std::optional<int64_t> only_vmid, json& out) {
  for (const auto& [vmid, node] : VmList(sim)) {
    if (only_vmid && *only_vmid != vmid) continue;
    auto conf = LoadGuest(sim, node, vmid);
    if (!conf) continue;
    // The volumes' creation time: the guest's (meta: ...,ctime=N), as near as a config tells.
    int64_t ctime = 0;
    if (auto meta = conf->main.find("meta"); meta != conf->main.end()) {
      auto at = meta->second.find("ctime=");
      if (at != std::string::npos) ctime = std::atoll(meta->second.c_str() + at + 6);
    }
    for (const auto& [k, v] : conf->main) {
      if (!IsValidDriveName(k) && k.rfind("unused", 0) != 0) continue;
      PropertyMap d = ParseDrive(v);
      // A cloud-init drive is a CD-ROM whose volume is a guest image all the same.
      if ((DriveIsCdrom(d) && d["file"].find("cloudinit") == std::string::npos) || d["file"].rfind(id + ":", 0) != 0) continue;
      uint64_t size = d.contains("size") ? ParseSize(d["size"]).value_or(0) : 0;
      std::string file = d["file"];
      std::string fmt = file.ends_with(".qcow2") ? "qcow2" : "raw";
      json e = {{"volid", file}, {"content", "images"}, {"format", fmt}, {"size", size}, {"vmid", vmid}, {"ctime", ctime}};
      // A linked clone's volume names its base: "base-100-disk-0/vm-101-disk-0".
      std::string name = file.substr(file.find(':') + 1);
      if (auto slash = name.find("base-"); slash != std::string::npos && name.find("/vm-", slash) != std::string::npos)
        e["parent"] = name.substr(slash, name.find("/vm-", slash) - slash);
      out.push_back(e);
    }
  }
}

Result<Reply> ListContent(Call& c) {
  std::string id = c.params.StrOr("storage", "");
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(id);
  if (!s) return Die("storage '" + id + "' does not exist");
  if (!StorageEnabledOn(*s, c.node)) return Die("storage '" + id + "' is not available on node '" + c.node + "'");
  std::string content = c.params.StrOr("content", "");
  std::optional<int64_t> vmid = c.params.Int("vmid");
  json out = json::array();
  if (content.empty() || content == "images") AddGuestImages(c.sim, id, vmid, out);
  if (!vmid) {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    for (const auto& [volname, f] : StoredFiles(c.sim, *s, c.node).items()) {
      if (!content.empty() && f.value("content", "") != content) continue;
      out.push_back({{"volid", id + ":" + volname}, {"content", f["content"]}, {"format", f["format"]},
                     {"size", f["size"]}, {"ctime", f["ctime"]}});
    }
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["volid"] < b["volid"]; });
  return Reply(out);
}

// "local:iso/x.iso" or "iso/x.iso" with {storage} -> (storage, volname).
Result<std::pair<std::string, std::string>> SplitVolume(Call& c) {
  std::string volume = c.params.StrOr("volume", ""), storage = c.params.StrOr("storage", "");
  auto colon = volume.find(':');
  if (colon != std::string::npos) {
    if (!storage.empty() && volume.substr(0, colon) != storage) return Die("storage ID mismatch ('" + storage + "' != '" + volume.substr(0, colon) + "')");
    return std::pair{volume.substr(0, colon), volume.substr(colon + 1)};
  }
  if (storage.empty()) return Die("unable to parse volume ID '" + volume + "'");
  return std::pair{storage, volume};
}

Result<Reply> VolumeInfo(Call& c) {
  auto vol = SplitVolume(c);
  if (!vol) return Fail(vol.error());
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(vol->first);
  if (!s) return Die("storage '" + vol->first + "' does not exist");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  const json& files = StoredFiles(c.sim, *s, c.node);
  auto it = files.find(vol->second);
  if (it == files.end()) return Die("volume '" + vol->first + ":" + vol->second + "' does not exist");
  std::string name = vol->second.substr(vol->second.find('/') + 1);
  return Reply(json{{"format", (*it)["format"]}, {"size", (*it)["size"]}, {"used", (*it)["size"]},
                    {"path", ContentDir(*s, (*it)["content"]) + "/" + name}});
}

Result<Reply> DeleteVolume(Call& c) {
  auto vol = SplitVolume(c);
  if (!vol) return Fail(vol.error());
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  const Section* found = cfg.Find(vol->first);
  if (!found) return Die("storage '" + vol->first + "' does not exist");
  Section s = *found;
  const std::string volid = vol->first + ":" + vol->second;
  if (vol->second.find('/') == std::string::npos || vol->second.starts_with("vm-") || vol->second.starts_with("base-"))
    return Die("pvesim: removing guest disk images through the storage API is not simulated (use the guest's config)");
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (!StoredFiles(c.sim, s, c.node).contains(vol->second)) return Die("volume '" + volid + "' does not exist");
  }
  Simulator& sim = c.sim;
  std::string node = c.node, volname = vol->second;
  // PVE does not check whether a guest still uses the file (hainfra's image kind does).
  // pve-storage names the task by the storage (the volume ID's slash would not fit a UPID's path use).
  std::string upid = sim.tasks().Start(node, "imgdel", s.id, c.caller.Userid(), [&sim, s, node, volname](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    {
      std::lock_guard<std::mutex> lock(sim.mu());
      StoredFiles(sim, s, node).erase(volname);
    }
    sim.MarkDirty();
    ctx.Log("Removed volume '" + s.id + ":" + volname + "'");
    return Ok();
  });
  if (auto delay = c.params.Int("delay")) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*delay);
    while (std::chrono::steady_clock::now() < deadline) {
      auto rec = sim.tasks().Find(upid);
      if (rec && !rec->running) {
        if (rec->exitstatus != "OK") return Die(rec->exitstatus);
        return Reply(nullptr);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Reply(upid);
}

Result<Reply> DownloadUrl(Call& c) {
  std::string storage = c.params.StrOr("storage", ""), content = c.params.StrOr("content", "");
  std::string url = c.params.StrOr("url", "");
  std::string checksum = c.params.StrOr("checksum", ""), algorithm = c.params.StrOr("checksum-algorithm", "");
  if (!checksum.empty() && algorithm.empty()) return ParamError("checksum-algorithm", "parameter is missing");
  if (checksum.empty() && !algorithm.empty()) return ParamError("checksum", "parameter is missing");
  if (c.params.Has("compression") && content != "iso" && content != "import")
    return ParamError("compression", "decompression is only supported for ISO images and import images");
  auto volname = ContentVolname(content, NormalizeContentFilename(c.params.StrOr("filename", "")));
  if (!volname) return Fail(volname.error());
  auto s = FileStorageFor(c.sim, storage, c.node, content);
  if (!s) return Fail(s.error());
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (StoredFiles(c.sim, *s, c.node).contains(*volname)) {
      return Die("refusing to override existing file '" + ContentDir(*s, content) + "/" +
                 volname->substr(volname->find('/') + 1) + "'");
    }
  }
  Simulator& sim = c.sim;
  std::string node = c.node, vn = *volname;
  Section section = *s;
  std::string upid = sim.tasks().Start(node, "download", vn.substr(vn.find('/') + 1), c.caller.Userid(),
                                       [&sim, section, node, vn, url, algorithm, checksum](TaskContext& ctx) -> Status {
                                         return SimulateDownload(sim, ctx, section, node, vn, url, algorithm, checksum);
                                       });
  return Reply(upid);
}

}  // namespace

void AddStorageContentRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/storage/{storage}/content", kProxyNode, ListContent);
  t.Add("GET", "/nodes/{node}/storage/{storage}/content/{volume}", kProxyNode, VolumeInfo);
  t.Add("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}", kProxyNode, DeleteVolume);
  t.Add("POST", "/nodes/{node}/storage/{storage}/download-url", kProxyNode, DownloadUrl);
}

}  // namespace pvesim
