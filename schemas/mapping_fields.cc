// `mappings:` — cluster-wide hardware mappings (/cluster/mapping/pci, /usb): a logical device name and, per
// node, the device it is there. Guests pass the mapping through by name instead of a node's bus address.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

FieldSpec MappingIdField(std::string example) {
  return String("id", "the mapping's name (what guests use)").Format("pve-configid").Required()
      .Example(std::move(example));
}

}  // namespace

SectionSpec PciMappingSection() {
  return {
      .path = "mappings.pci",
      .kind = "pci_mapping",
      .identity = "id",
      .item = Object(
          "pci_mapping", "A logical PCI device",
          {
              MappingIdField("gpu"),
              StateField({"present", "absent"}, "absent removes the mapping"),
              String("description", "free text").MaxLength(4096),
              Bool("mdev", "the device supports mediated devices (vGPU; default false)"),
              Bool("live_migration", "the device can be live-migrated (experimental; default false)"),
              // One entry per node: the device that node passes through.
              List("map", "the device on each node",
                   Object("entry", "",
                          {
                              String("node", "the node").Format("pve-node").Ref("node").Required().Example("pve-01"),
                              String("path", "PCI address (domain:bus:slot[.function]); several, `;`-separated: the "
                                             "first free one")
                                  .Pattern("^([a-f0-9]{4,}:[a-f0-9]{2}:[a-f0-9]{2}(\\.[a-f0-9])?;)*"
                                           "[a-f0-9]{4,}:[a-f0-9]{2}:[a-f0-9]{2}(\\.[a-f0-9])?$")
                                  .Required()
                                  .Example("0000:01:00.0"),
                              String("id", "vendor:device, to notice changed hardware")
                                  .Pattern("^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$").Required().Example("10de:1b80"),
                              String("subsystem_id", "subsystem vendor:device").Pattern("^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$"),
                              Int("iommu_group", "the IOMMU group it is expected in").Min(0),
                              String("description", "free text").MaxLength(4096),
                          }))
                  .Key("node"),
          })};
}

SectionSpec UsbMappingSection() {
  return {
      .path = "mappings.usb",
      .kind = "usb_mapping",
      .identity = "id",
      .item = Object(
          "usb_mapping", "A logical USB device",
          {
              MappingIdField("dongle"),
              StateField({"present", "absent"}, "absent removes the mapping"),
              String("description", "free text").MaxLength(4096),
              List("map", "the device on each node",
                   Object("entry", "",
                          {
                              String("node", "the node").Format("pve-node").Ref("node").Required().Example("pve-01"),
                              String("id", "vendor:device").Pattern("^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$").Required()
                                  .Example("0403:6001"),
                              String("path", "the USB port (bus-port[.port]): this port rather than the device id")
                                  .Pattern("^[0-9]+-[0-9]+(\\.[0-9]+)*$"),
                              String("description", "free text").MaxLength(4096),
                          }))
                  .Key("node"),
          })};
}

}  // namespace hainfra::schemas
