// `nodes:` — the cluster members: address, corosync link addresses, network interfaces, baseline.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

FieldSpec NodeCorosyncFields() {
  std::vector<FieldSpec> fields;
  for (int link = 0; link <= 7; ++link) {
    const std::string name = "link" + std::to_string(link);
    fields.push_back(String(name, "this node's address on corosync link " + std::to_string(link)).Format("ip"));
  }
  // The ranges of Proxmox's join API; what hainfra refuses beyond them (a member without a vote) is a check.
  fields.push_back(Int("votes", "quorum votes of this node (default 1; 0 is refused)").Min(0));
  fields.push_back(Int("nodeid", "corosync node id (default: assigned at join; never changed on a member)").Min(1));
  return Object("corosync", "this node's corosync membership", std::move(fields));
}

FieldSpec InterfaceFields() {
  // The keys of POST /nodes/{node}/network, renamed to read naturally (ports = bridge_ports, ...).
  return Object(
      "interface", "one interface (ifupdown2 stanza)",
      {
          String("iface", "interface name").Format("pve-iface").MaxLength(20).Required().Example("vmbr0"),
          StateField({"present", "absent"},
                     "absent removes the interface's definition (staged and applied with the node's other changes)"),
          Enum("type", "interface type", {"bridge", "bond", "vlan", "eth"}).Required().ForceNew(),
          List("ports", "bridge: its ports (NICs, bonds or VLAN interfaces)",
               String("port", "").Format("pve-iface"))
              .Set(),
          Bool("vlan_aware", "bridge: VLAN-aware (bridge-vlan-aware)"),
          List("vids", "bridge: VLAN ids the bridge carries (default 2-4094)",
               String("vid", "").Format("vlan-range"))
              .Set(),
          List("slaves", "bond: its member NICs", String("slave", "").Format("pve-iface")).Set(),
          Enum("bond_mode", "bond: mode",
               {"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
                "balance-alb", "balance-slb", "lacp-balance-slb", "lacp-balance-tcp"}),
          Enum("hash_policy", "bond: transmit hash policy", {"layer2", "layer2+3", "layer3+4"}),
          String("bond_primary", "bond: primary slave (active-backup)").Format("pve-iface"),
          String("vlan_raw_device", "vlan: the parent interface, when the name has no .TAG").Format("pve-iface"),
          Int("vlan_id", "vlan: the VLAN tag, when the name has no .TAG").Min(1).Max(4094),
          String("cidr", "IPv4 address with prefix").Format("cidrv4").Example("10.0.0.11/24"),
          String("gateway", "IPv4 default gateway (one interface per node)").Format("ipv4"),
          String("cidr6", "IPv6 address with prefix").Format("cidrv6"),
          String("gateway6", "IPv6 default gateway").Format("ipv6"),
          Int("mtu", "MTU").Min(1280).Max(65520),
          Bool("autostart", "bring up at boot (default true)"),
          String("comment", "free text"),
      });
}

}  // namespace

SectionSpec NodeSection() {
  return {.path = "nodes",
          .kind = "node",
          .identity = "name",
          .item = Object("node", "A cluster member",
                         {
                             String("name", "node (host) name").Format("pve-node").MaxLength(63).Required()
                                 .Example("pve-01"),
                             StateField({"present", "absent"}, "absent removes the node from the cluster"),
                             String("address", "management address (API and SSH)").Format("ip").Required()
                                 .Example("10.0.0.11"),
                             NodeCorosyncFields(),
                             // Physical NICs exist whether declared or not, so interfaces left out are not
                             // managed (whole=false); a bridge's ports are owned whole.
                             List("network", "network interfaces hainfra manages on this node", InterfaceFields())
                                 .Key("iface")
                                 .NotWhole(),
                             String("baseline", "the baseline (packages, repositories, sshd) of this node")
                                 .Ref("baseline"),
                             Bool("maintenance", "HA node maintenance: guests leave the node, Ceph noout set "
                                                 "(false: leave maintenance)"),
                             // The node's System panel (node_settings/<node>): resolv.conf, the time zone and
                             // the /etc/hosts entries hainfra owns (a marked block; the other lines are kept).
                             Object("dns", "the node's resolver (/etc/resolv.conf)",
                                    {
                                        String("search", "the search domain").Format("dns-name").Required()
                                            .Example("lab.example.com"),
                                        List("servers", "up to three name servers, in order",
                                             String("server", "").Format("ip")),
                                    }),
                             String("timezone", "the node's time zone (IANA name)")
                                 .Pattern("^(UTC|[A-Za-z_]+(/[A-Za-z0-9_+-]+)+)$")
                                 .Example("Europe/Berlin"),
                             List("hosts", "entries of /etc/hosts hainfra owns (the other lines stay as they are)",
                                  Object("entry", "",
                                         {
                                             String("ip", "the address").Format("ip").Required()
                                                 .Example("10.0.0.50"),
                                             List("names", "its host names, canonical name first",
                                                  String("name", "").Format("dns-name"))
                                                 .Required(),
                                         }))
                                 .Key("ip"),
                         })};
}

}  // namespace hainfra::schemas
