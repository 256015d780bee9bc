// The plan order of the brief as `KindTraits::order` ranks, in one place: node membership → node network →
// SDN → corosync links → Ceph pools → storage → images → VMs → HA groups/rules → HA resources → backup jobs.
// Baselines (apt repositories, packages, sshd) are per node and independent of guests: they run first, so a
// node has its packages before its network or guests change — repositories before packages (an install needs
// them), sshd last; each is its own phase, so only one node's baseline changes at any time. Deletes run in the
// reverse order.
#pragma once

namespace hainfra::providers::order {

inline constexpr int kDatacenter = 2;     // datacenter options first: later steps may need what they set
// HA node maintenance (nodes[].maintenance) first: a node's guests leave before its baseline changes.
inline constexpr int kNodeMaintenance = 3;
inline constexpr int kAptRepository = 5;  // baseline: apt repositories (rolling, per node)
inline constexpr int kPackages = 6;       // baseline: packages (rolling, per node)
inline constexpr int kSshd = 7;           // baseline: the sshd drop-in (rolling, per node)
// baseline: the reboot a package change needs (rolling, per node), once the node's whole baseline is in place.
inline constexpr int kNodeReboot = 8;
inline constexpr int kMembership = 10;  // node joins
inline constexpr int kNetwork = 20;     // node network (staged, one reload per node)
inline constexpr int kSdn = 30;         // SDN zones, vnets, subnets (staged, one cluster-wide apply)
inline constexpr int kCorosync = 40;    // corosync links and totem
inline constexpr int kQdevice = 45;     // the QDevice vote: after the links and votes it counts with
inline constexpr int kCephPool = 50;
inline constexpr int kStorage = 60;
inline constexpr int kImage = 65;  // templates, ISOs, cloud images: after their storage, before the guests
inline constexpr int kVm = 70;
inline constexpr int kCt = 71;  // containers beside VMs
inline constexpr int kPool = 75;  // resource pools after their members (guests, storages)
inline constexpr int kHaPlacement = 80;  // HA groups (PVE 8) and HA rules
inline constexpr int kHaResource = 90;
// PVE 9: HA rules (and the rules PVE 9 groups become) may name only configured HA resources
// (pve-ha-manager refuses "cannot use unmanaged resource(s)"), so there they run after the resources.
inline constexpr int kHaRuleAfterResources = 95;
inline constexpr int kBackupJob = 100;
inline constexpr int kAccessGroup = 110;  // groups before the users that are members
inline constexpr int kAccessUser = 111;
// The firewall last (brief): its named objects before the rules that use them, the guests' rule sets, then
// the nodes' and the cluster's, each commit-confirmed, so that a rule set cutting access is rolled back
// before anything else runs. Deletes (aliases, IP sets, groups) run in the reverse order, after the rules.
inline constexpr int kFirewallAlias = 200;
inline constexpr int kFirewallIpset = 201;
inline constexpr int kFirewallGroup = 202;
inline constexpr int kFirewallGuest = 203;
inline constexpr int kFirewallNode = 204;
inline constexpr int kFirewallCluster = 205;
// Storage replication after the guests whose volumes it copies (and after the storages and nodes it names).
inline constexpr int kReplication = 120;
// The notification system: targets before the matchers that name them (deletes: matchers first).
inline constexpr int kNotificationTarget = 121;
inline constexpr int kNotificationMatcher = 122;
inline constexpr int kMetricServer = 123;  // anywhere after the datacenter options
// Hardware mappings with the node layer: before the guests that pass them through.
inline constexpr int kHardwareMapping = 15;
// nodes[].dns, timezone, hosts with the node layer (after the joins, before the network reload).
inline constexpr int kNodeSettings = 16;
inline constexpr int kAccessRole = 112;   // roles before the ACL entries naming them
inline constexpr int kAccessToken = 113;  // tokens after their users
inline constexpr int kAccessAcl = 114;    // ACL entries after the roles, users, groups and tokens they name
inline constexpr int kAccessRealm = 105;  // realms before the groups and users of them
inline constexpr int kAcmePlugin = 124;   // ACME challenge plugins: before the node certificates naming them

}  // namespace hainfra::providers::order
