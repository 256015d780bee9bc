// `images:` — files guests are made from: container templates from the appliance index (what `pveam
// download` fetches), ISO images and disk images to import (cloud images) downloaded by URL with a
// checksum. Which combinations are valid (a template or a url, never both; a url needs a checksum) is
// checked in engine/spec/check_images.cc.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

std::string ImageVolume(const nlohmann::json& image) {
  if (!image.is_object()) return "";
  const std::string storage = image.value("storage", "");
  if (image.contains("template")) return storage + ":vztmpl/" + image.value("template", "");
  std::string file = image.value("filename", "");
  if (file.empty()) {
    std::string url = image.value("url", "");
    url = url.substr(0, url.find_first_of("?#"));
    file = url.substr(url.rfind('/') + 1);
  }
  return storage + ":" + image.value("content", "") + "/" + file;
}

SectionSpec ImageSection() {
  return {
      .path = "images",
      .kind = "image",
      .identity = "name",
      .item = Object(
          "image", "A container template, ISO image or cloud image on a storage",
          {
              String("name", "a name for the image (guests refer to it by its volume, e.g. local:iso/x.iso)")
                  .Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
                  .Required()
                  .Example("debian-12-netinst"),
              StateField({"present", "absent"},
                         "absent deletes the file (refused while a guest uses it; needs --allow-destroy)"),
              String("storage", "the storage holding it (a storage with a path: dir, NFS, CIFS, CephFS)")
                  .Format("pve-storage-id")
                  .Ref("storage")
                  .Required()
                  .Example("local"),
              List("nodes", "for a storage local to each node: the nodes that get a copy (default: every node)",
                   String("node", "").Format("pve-node").Ref("node"))
                  .Set()
                  .NotWhole(),
              String("template", "a container template of the appliance index (pveam available)")
                  .Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.+-]*\\.tar\\.(gz|xz|zst|bz2)$")
                  .Example("debian-12-standard_12.7-1_amd64.tar.zst"),
              String("url", "where to download it from (http or https)").Pattern("^https?://\\S+$")
                  .Example("https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2"),
              Enum("content", "with url: what it is (iso: an ISO image; import: a disk image to import; vztmpl: a "
                              "container template)",
                   {"iso", "import", "vztmpl"}),
              String("filename", "with url: the file's name on the storage (default: the URL's last part)")
                  .Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.+=-]*$")
                  .Example("noble-server-cloudimg-amd64.qcow2"),
              String("checksum", "with url: the file's checksum, `sha256:HEX` or `sha512:HEX` (required)")
                  .Pattern("^(sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128})$")
                  .Example("sha256:9b2e7f..."),
          })};
}

}  // namespace hainfra::schemas
