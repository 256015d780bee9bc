// `firewall:` — the Proxmox firewall (pve-firewall): the cluster's options and rules (`firewall.cluster`),
// aliases, IP sets and security groups, each node's options and rules (`firewall.nodes`) and each guest's
// (`firewall.guests`). A written rule list is owned whole and ordered: a rule's place in the list is its
// position in Proxmox.
#include "schemas/firewall_fields.h"

#include "schemas/field_builders.h"

namespace hainfra::schemas {
namespace {

const char* kFirewallNamePattern = "^[A-Za-z][A-Za-z0-9_-]+$";
// An address, a network, a range, a list of them, an alias or +ipset (pve-fw-addr-spec; checked at validate).
const char* kFirewallAddrPattern = "^[^\\s#]+$";
const char* kFirewallIpOrCidrPattern = "^[0-9a-fA-F:.]+(/[0-9]{1,3})?$";

std::vector<std::string> FirewallLogLevels() {
  return {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "nolog"};
}

FieldSpec FirewallPolicy(const char* name, const char* doc) { return Enum(name, doc, {"ACCEPT", "REJECT", "DROP"}); }

}  // namespace

FieldSpec FirewallRules() {
  return List("rules", "the rules in order: the first listed is position 0 (owned whole)",
              Object("rule", "one firewall rule",
                     {
                         Enum("type", "direction, or `group` to insert a security group (default in)",
                              {"in", "out", "forward", "group"}),
                         String("action", "ACCEPT, DROP or REJECT; for type group, the security group's name")
                             .Pattern("^[A-Za-z][A-Za-z0-9_-]+$")
                             .MaxLength(20)
                             .Required()
                             .Example("ACCEPT"),
                         String("macro", "a predefined macro (SSH, HTTPS, Ping, ...) instead of proto/ports")
                             .MaxLength(128),
                         String("iface", "the interface (a guest's netN; any name on a node)").MaxLength(20),
                         String("source", "source: address, network, range, list, alias or +ipset")
                             .Pattern(kFirewallAddrPattern)
                             .MaxLength(512)
                             .Example("+management"),
                         String("dest", "destination: address, network, range, list, alias or +ipset")
                             .Pattern(kFirewallAddrPattern)
                             .MaxLength(512),
                         String("proto", "IP protocol: tcp, udp, icmp, ... or a number").Pattern("^[a-z0-9-]+$"),
                         String("dport", "destination ports: 22, 80:85, 22,8006 (needs proto or macro)")
                             .Pattern("^[a-zA-Z0-9:,_-]+$")
                             .Example("22"),
                         String("sport", "source ports (needs proto or macro)").Pattern("^[a-zA-Z0-9:,_-]+$"),
                         String("icmp_type", "the ICMP type (proto icmp or icmpv6)"),
                         Enum("log", "log level of the rule (default nolog)", FirewallLogLevels()),
                         Bool("enable", "the rule is active (default true)"),
                         String("comment", "free text").MaxLength(4096),
                     }));
}

SectionSpec FirewallClusterSection() {
  return {.path = "firewall.cluster",
          .kind = "firewall_cluster",
          .identity = "",
          .singleton = true,
          .item = Object("firewall_cluster", "The cluster firewall (Datacenter → Firewall): options and rules",
                         {
                             Bool("enable", "the firewall is on cluster wide (default false)"),
                             FirewallPolicy("policy_in", "input policy (default DROP)"),
                             FirewallPolicy("policy_out", "output policy (default ACCEPT)"),
                             Bool("ebtables", "ebtables rules cluster wide (default true)"),
                             Object("log_ratelimit", "rate limit of firewall logging",
                                    {
                                        Bool("enable", "rate limiting is on (default true)"),
                                        String("rate", "refill rate of the burst bucket (default 1/second)")
                                            .Pattern("^[1-9][0-9]*/(second|minute|hour|day)$"),
                                        Int("burst", "packets always logged before the rate applies (default 5)")
                                            .Min(0),
                                    }),
                             List("management", "where SSH and the API are used from (hainfra's lock-out check; "
                                                "default: each node's management network)",
                                  String("source", "").Format("cidr").Example("10.0.0.0/24"))
                                 .Unmanaged(),
                             FirewallRules(),
                         })};
}

SectionSpec FirewallAliasSection() {
  return {.path = "firewall.aliases",
          .kind = "firewall_alias",
          .identity = "name",
          .item = Object("firewall_alias", "A cluster firewall alias: a name for an address or network",
                         {
                             String("name", "alias name").Pattern(kFirewallNamePattern).MaxLength(64).Required()
                                 .Example("admin_net"),
                             StateField({"present", "absent"}, "absent deletes the alias"),
                             String("cidr", "the address or network").Pattern(kFirewallIpOrCidrPattern).Required()
                                 .Example("10.0.0.0/24"),
                             String("comment", "free text").MaxLength(4096),
                         })};
}

SectionSpec FirewallIpsetSection() {
  return {.path = "firewall.ipsets",
          .kind = "firewall_ipset",
          .identity = "name",
          .item = Object("firewall_ipset", "A cluster IP set (`management` is the set SSH and the API always accept)",
                         {
                             String("name", "IP set name").Pattern(kFirewallNamePattern).MaxLength(64).Required()
                                 .Example("management"),
                             StateField({"present", "absent"}, "absent deletes the IP set and its entries"),
                             String("comment", "free text").MaxLength(4096),
                             List("entries", "the addresses and networks (owned whole)",
                                  Object("entry", "one entry",
                                         {
                                             String("cidr", "address, network or alias")
                                                 .Pattern("^[A-Za-z0-9:./_-]+$")
                                                 .Required()
                                                 .Example("10.0.0.0/24"),
                                             Bool("nomatch", "an exception: matching addresses are not in the set"),
                                             String("comment", "free text").MaxLength(4096),
                                         }))
                                 .Key("cidr"),
                         })};
}

SectionSpec FirewallGroupSection() {
  return {.path = "firewall.groups",
          .kind = "firewall_group",
          .identity = "name",
          .item = Object("firewall_group", "A security group: a named rule list rules insert with type group",
                         {
                             String("name", "group name").Pattern(kFirewallNamePattern).MaxLength(18).Required()
                                 .Example("webserver"),
                             StateField({"present", "absent"}, "absent deletes the group (no rule may use it)"),
                             String("comment", "free text").MaxLength(4096),
                             FirewallRules(),
                         })};
}

SectionSpec FirewallNodeSection() {
  const std::vector<std::string> levels = FirewallLogLevels();
  return {.path = "firewall.nodes",
          .kind = "firewall_node",
          .identity = "node",
          .item = Object("firewall_node", "A node's host firewall: options and rules",
                         {
                             String("node", "the node").Format("pve-node").Ref("node").Required().Example("pve-01"),
                             Bool("enable", "host firewall rules on this node (default true)"),
                             Enum("log_level_in", "log level of incoming traffic", levels),
                             Enum("log_level_out", "log level of outgoing traffic", levels),
                             Bool("ndp", "allow NDP (default true)"),
                             Bool("nosmurfs", "SMURFS filter"),
                             Bool("tcpflags", "filter illegal TCP flag combinations"),
                             Int("nf_conntrack_max", "maximum tracked connections (default 262144)").Min(32768),
                             Bool("protection_synflood", "SYN flood protection (default false)"),
                             FirewallRules(),
                         })};
}

SectionSpec FirewallGuestSection() {
  const std::vector<std::string> levels = FirewallLogLevels();
  return {.path = "firewall.guests",
          .kind = "firewall_guest",
          .identity = "vmid",
          .item = Object("firewall_guest", "A guest's firewall (a VM or container declared in the spec): options and rules",
                         {
                             Int("vmid", "the guest").Min(100).Max(999999999).Ref("guest").Required().Example("100"),
                             Bool("enable", "the guest's firewall is on (default false; its NICs need firewall: true)"),
                             FirewallPolicy("policy_in", "input policy (default DROP)"),
                             FirewallPolicy("policy_out", "output policy (default ACCEPT)"),
                             Bool("dhcp", "allow DHCP (default false)"),
                             Bool("ipfilter", "default IP filters per NIC"),
                             Bool("macfilter", "MAC address filter (default true)"),
                             Bool("ndp", "allow NDP (default true)"),
                             Bool("radv", "allow sending router advertisements"),
                             Enum("log_level_in", "log level of incoming traffic", levels),
                             Enum("log_level_out", "log level of outgoing traffic", levels),
                             FirewallRules(),
                         })};
}

}  // namespace hainfra::schemas
