// `vlans:` — SDN VLAN networks. Each entry is one VNet in a VLAN zone; zones are implied by the entries
// (every VNet naming the zone must agree on its bridge), so an admin writes one line per VLAN.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec VlanSection() {
  return {
      .path = "vlans",
      .kind = "vlan",
      .identity = "name",
      .item = Object(
          "vlan", "An SDN VNet in a VLAN zone",
          {
              String("name", "VNet id; guests use it as their bridge").Format("pve-sdn-id").MaxLength(8)
                  .Required().Example("research"),
              StateField({"present", "absent"}, "absent deletes the VNet"),
              String("zone", "VLAN zone id (created on first use)").Format("pve-sdn-id").MaxLength(8).Required()
                  .Example("prod"),
              String("bridge", "the zone's VLAN-aware bridge, present on every node").Format("pve-iface")
                  .Required().Example("vmbr0"),
              Int("tag", "VLAN tag").Min(1).Max(4094).Required().Example("20"),
              String("alias", "description shown in the GUI").MaxLength(256).Pattern("^[(\\)-_.\\w\\s]{0,256}$"),
              Bool("vlan_aware", "let guests tag their own VLANs inside this VNet"),
              Bool("isolate_ports", "guests on this VNet cannot talk to each other"),
              List("subnets", "IP subnets of the VNet (for IPAM, DHCP and SNAT)",
                   Object("subnet", "one subnet",
                          {
                              String("cidr", "the subnet").Format("cidr").Required().Example("10.20.0.0/24"),
                              String("gateway", "gateway address inside the subnet").Format("ip"),
                              Bool("snat", "source-NAT traffic leaving the subnet"),
                          }))
                  .Key("cidr"),
          })};
}

}  // namespace hainfra::schemas
