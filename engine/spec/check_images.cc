// Images: a template of the appliance index or a download by URL (with its content type and a checksum),
// a file name the storage accepts for that content, a storage that holds it, one copy on a shared storage,
// one entry per volume, and no guest of the spec made from an image the spec removes.
#include <map>
#include <regex>

#include "engine/spec/checks.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

// pve-storage's accepted file names per content type (download-url).
bool FileFitsContent(const std::string& content, const std::string& file) {
  static const std::regex iso("^[^/]+\\.(iso|img)$", std::regex::icase);
  static const std::regex vztmpl("^[^/]+\\.tar\\.(gz|xz|zst|bz2)$", std::regex::icase);
  static const std::regex import("^[-a-zA-Z0-9_.+=]+\\.(ova|qcow2|raw|vmdk)$");
  if (content == "iso") return std::regex_match(file, iso);
  if (content == "vztmpl") return std::regex_match(file, vztmpl);
  if (content == "import") return std::regex_match(file, import);
  return true;
}

const char* Extensions(const std::string& content) {
  if (content == "iso") return ".iso or .img";
  if (content == "vztmpl") return ".tar.gz, .tar.xz, .tar.zst or .tar.bz2";
  return ".qcow2, .raw, .vmdk or .ova";
}

void CheckOneImage(CheckContext& ctx, const Resource& image) {
  const Value& body = image.body;
  const bool from_index = Has(body, "template"), from_url = Has(body, "url");
  if (from_index == from_url) {
    ctx.Error(image, from_index ? "/url" : "",
              "an image comes either from the appliance index (`template`) or from a download (`url`)");
    return;
  }
  const std::string volume = schemas::ImageVolume(body);
  const std::string content = volume.substr(volume.find(':') + 1, volume.find('/') - volume.find(':') - 1);
  const std::string file = volume.substr(volume.find('/') + 1);
  if (from_index) {
    if (Has(body, "checksum")) {
      ctx.Error(image, "/checksum", "a template of the appliance index is checked against the index's sha512sum; "
                                    "`checksum` goes with `url`");
    }
    if (Has(body, "content") && Str(body, "content") != "vztmpl") {
      ctx.Error(image, "/content", "a template of the appliance index is a container template (content vztmpl)");
    }
  } else {
    if (!Has(body, "content")) ctx.Error(image, "/url", "a download needs `content`: iso, import or vztmpl");
    // A malformed checksum was reported by the typer (and dropped): it is not also missing.
    if (!Has(body, "checksum") && !image.locations.contains("/checksum") && Str(body, "state") != "absent") {
      ctx.Error(image, "/url", "a download needs `checksum: sha256:HEX` (or sha512:HEX): an image is never taken unchecked");
    }
    if (Has(body, "content") && !FileFitsContent(content, file)) {
      ctx.Error(image, Has(body, "filename") ? "/filename" : "/url",
                "file name " + file + " does not fit content " + content + " (Proxmox wants " + Extensions(content) +
                    (Has(body, "filename") ? ")" : "): set `filename`"));
    }
  }
  const Resource* storage = ctx.Find("storage", Str(body, "storage"));
  if (storage == nullptr) return;  // an undeclared storage: the reference check reports it, or it is not managed
  if (Has(storage->body, "content") && !content.empty()) {
    bool holds = false;
    for (const Value& c : storage->body["content"]) holds = holds || c == content;
    if (!holds) ctx.Error(image, "/storage", "storage `" + Str(body, "storage") + "` does not hold " + content + " (its content)");
  }
  if (Has(body, "nodes") && Has(storage->body, "shared") && storage->body["shared"] == Value(true)) {
    ctx.Error(image, "/nodes", "storage `" + Str(body, "storage") + "` is shared: it holds one copy for every node");
  }
}

// A VM's volumes made from images: import sources and CD-ROM media, with their pointers.
std::vector<std::pair<std::string, std::string>> GuestVolumes(const Resource& guest) {
  std::vector<std::pair<std::string, std::string>> out;
  const Value& disks = ListAt(guest.body, "disks");
  for (size_t i = 0; i < disks.size(); ++i) {
    if (Has(disks[i], "import_from")) out.emplace_back(Str(disks[i], "import_from"), "/disks/" + std::to_string(i) + "/import_from");
  }
  const Value& cdrom = ObjectAt(guest.body, "cdrom");
  for (auto it = cdrom.begin(); it != cdrom.end(); ++it) {
    if (it.value().is_string()) out.emplace_back(it.value().get<std::string>(), "/cdrom/" + it.key());
  }
  if (Has(guest.body, "ostemplate")) out.emplace_back(Str(guest.body, "ostemplate"), "/ostemplate");
  return out;
}

}  // namespace

void CheckImages(CheckContext& ctx) {
  std::map<std::string, const Resource*> by_volume;
  for (const Resource* image : ctx.OfKind("image")) {
    CheckOneImage(ctx, *image);
    auto [it, inserted] = by_volume.emplace(schemas::ImageVolume(image->body), image);
    if (!inserted) {
      ctx.Error(*image, "", "names the same volume " + it->first + " as " + it->second->address.ToString());
    }
  }
  for (const char* kind : {"vm", "ct"}) {
    for (const Resource* guest : ctx.OfKind(kind)) {
      if (guest->absent) continue;
      for (const auto& [volume, pointer] : GuestVolumes(*guest)) {
        auto it = by_volume.find(volume);
        if (it != by_volume.end() && Str(it->second->body, "state") == "absent") {
          ctx.Error(*guest, pointer, "uses " + volume + ", which " + it->second->address.ToString() + " removes (state: absent)");
        }
      }
    }
  }
}

}  // namespace hainfra::spec
