// The corpus of bad specs: each case is a spec and every diagnostic it must produce, exactly, in file order
// ("line:col: severity: message"). One case per rule of issue 2 item 4, and then some.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/bad_spec.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::testing {
namespace {

TEST_P(BadSpecs, ReportExactlyTheseDiagnostics) {
  const BadSpec& c = GetParam();
  EXPECT_EQ(Diagnose(c.yaml), c.expected) << "spec:\n" << c.yaml;
}

const BadSpec kSyntaxAndTypes[] = {
    {"SyntaxErrorIsLocated",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11\n",
     {"3:1: error: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping that "
      "started at line 2)"}},
    {"DuplicateKeyIsReportedAtTheSecond",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    address: 10.0.0.12\n",
     {"4:5: error: duplicate key `address` (first written at line 3)"}},
    {"TabIndentationIsRefused",
     "nodes:\n"
     "\t- name: pve-01\n",
     {"2:1: error: tab character in indentation: YAML indents with spaces only"}},
    {"InvalidUtf8IsRefused",
     "nodes:\n"
     "  - name: pve-\xff\n",
     {"2:15: error: invalid UTF-8 byte 0xFF: spec files must be UTF-8 text"}},
    {"SecondDocumentIsRefused",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "---\n"
     "vms: []\n",
     {"3:1: error: a second YAML document (after `---`): put each document in its own file"}},
    {"TopLevelMustBeAMap",
     "- name: pve-01\n",
     {"1:1: error: the top level of a spec file is a map of sections (cluster, nodes, vms, ...), not a list"}},
    {"UnknownSectionSuggestsTheRightOne",
     "vm:\n"
     "  - vmid: 100\n",
     {"1:1: error: unknown section `vm` — did you mean `vms`?"}},
    {"SectionAtTheWrongLevelSuggestsItsPath",  // (top-level `pools:` are resource pools)
     "rules:\n"
     "  - name: web-first\n",
     {"1:1: error: unknown section `rules` — did you mean `ha.rules`?"}},
    {"WrongTypeNamesTheField",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, cores: four }\n",
     {"4:39: error: vms[0].cores: expected an integer, got the string `four`"}},
    {"QuotedNumberIsAString",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, memory: \"2048\" }\n",
     {"4:40: error: vms[0].memory: expected an integer, got the string `2048`"}},
    {"Yaml11BooleanIsNotABoolean",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, onboot: yes }\n",
     {"4:40: error: vms[0].onboot: `yes` is not a boolean here: write true or false"}},
    {"NumberForAStringAsksForQuotes",
     "nodes:\n"
     "  - { name: 100, address: 10.0.0.11 }\n",
     {"2:13: error: nodes[0].name: expected a string, got the integer 100 — write it in quotes: \"100\""}},
    {"ScalarWhereAListBelongs",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, tags: hpc }\n",
     {"4:38: error: vms[0].tags: expected a list, got the string `hpc` (a list is written [a, b] or as `- a` "
      "lines)"}},
    {"EmptyValue",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address:\n",
     {"3:5: error: nodes[0].address: no value given (expected a string)"}},
    {"HugeNumberIsOutOfRange",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 99999999999999999999999, node: pve-01 }\n",
     {"4:13: error: vms[0].vmid: `99999999999999999999999` is out of range"}},
    {"UnknownKeySuggestsTheClosest",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    memroy: 2048\n",
     {"6:5: error: vms[0]: unknown key `memroy` — did you mean `memory`?"}},
    {"UnknownNestedKeySuggestsTheClosest",
     "storage:\n"
     "  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    disks: [ { slot: scsi0, storage: local-lvm, sise: 32G } ]\n",
     {"8:49: error: vms[0].disks[0]: unknown key `sise` — did you mean `size`?"}},
    {"MissingRequiredKeyGivesAnExample",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, cores: 2 }\n",
     {"4:5: error: vms[0]: missing required key `node` (e.g. node: pve-01)"}},
    {"EnumSuggestsTheClosestValue",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ostype: l25 }\n",
     {"4:40: error: vms[0].ostype: `l25` is not one of: l26, l24, win11, win10, win8, win7, wvista, w2k8, w2k3, "
      "w2k, wxp, solaris, other — did you mean `l26`?"}},
    {"UnknownAliasIsLocated",
     "nodes:\n"
     "  - *worker\n",
     {"2:5: error: alias *worker names no anchor defined before it"}},
    {"DeepNestingIsRefused",
     "nodes: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]"
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     {"1:71: error: nesting deeper than 64 levels"}},
    {"UnsupportedTag",
     "nodes:\n"
     "  - { name: !vault pve-01, address: 10.0.0.11 }\n",
     {"2:13: error: YAML tag `!vault` is not supported: write the value without a tag"}},
};

const BadSpec kProxmoxRanges[] = {
    {"VmidBelow100",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 99, node: pve-01 }\n",
     {"4:13: error: vms[0].vmid: must be at least 100, got 99"}},
    {"MemoryBelowProxmoxMinimum",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, memory: 8 }\n",
     {"4:40: error: vms[0].memory: must be at least 16, got 8"}},
    {"VlanTagAbove4094",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    nets: [ { slot: net0, bridge: vmbr0, tag: 4095 } ]\n",
     {"6:47: error: vms[0].nets[0].tag: must be at most 4094, got 4095"}},
    {"PgNumAbove32768",
     "ceph:\n"
     "  pools: [ { name: vm-pool, pg_num: 65536 } ]\n",
     {"2:37: error: ceph.pools[0].pg_num: must be at most 32768, got 65536"}},
    {"PoolSizeAbove7",
     "ceph:\n"
     "  pools: [ { name: vm-pool, size: 8, min_size: 0 } ]\n",
     {"2:35: error: ceph.pools[0].size: must be at most 7, got 8",
      "2:48: error: ceph.pools[0].min_size: must be at least 1, got 0"}},
    {"CorosyncLinkIdAbove7",
     "cluster:\n"
     "  name: lab\n"
     "  corosync:\n"
     "    links: [ { id: 8, network: 10.10.10.0/24 } ]\n",
     {"4:20: error: cluster.corosync.links[0].id: must be at most 7, got 8"}},
    {"HaStateOutsideProxmoxEnum",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: running } }\n",
     {"4:45: error: vms[0].ha.state: `running` is not one of: started, stopped, enabled, disabled, ignored, absent"}},
    {"BondModeOutsideProxmoxEnum",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: bond0, type: bond, slaves: [eno1, eno2], bond_mode: lacp } ]\n",
     {"4:77: error: nodes[0].network[0].bond_mode: `lacp` is not one of: balance-rr, active-backup, balance-xor, "
      "broadcast, 802.3ad, balance-tlb, balance-alb, balance-slb, lacp-balance-slb, lacp-balance-tcp"}},
    {"InterfaceMtuBelow1280",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: eno2, type: eth, mtu: 1000 } ]\n",
     {"4:47: error: nodes[0].network[0].mtu: must be at least 1280, got 1000"}},
};

const BadSpec kProxmoxFormats[] = {
    {"NodeNameWithUnderscore",
     "nodes:\n"
     "  - { name: pve_01, address: 10.0.0.11 }\n",
     {"2:13: error: nodes[0].name: `pve_01` is not a node name: letters, digits and inner '-' (e.g. pve-01)"}},
    {"StorageIdStartingWithADigit",
     "storage:\n"
     "  - { id: 1local, type: dir, path: /srv }\n",
     {"2:11: error: storage[0].id: `1local` is not a storage id: letters, digits, '-', '_' or '.', starting with a "
      "letter (e.g. ceph-vm)"}},
    {"InterfaceNameWithADash",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: vmbr-0, type: bridge } ]\n",
     {"4:25: error: nodes[0].network[0].iface: `vmbr-0` is not an interface name: a letter, then letters, digits or "
      "'_', optionally .VLAN (e.g. vmbr0, bond0.30)"}},
    {"CephPoolNameWithASlash",
     "ceph:\n"
     "  pools: [ { name: vm/pool } ]\n",
     {"2:20: error: ceph.pools[0].name: `vm/pool` is not a valid value here (must match ^[^:/\\s]+$)"}},
    {"VnetNameLongerThan8",
     "vlans:\n"
     "  - { name: research1, zone: lab, bridge: vmbr0, tag: 20 }\n",
     {"2:13: error: vlans[0].name: is longer than 8 characters"}},
    {"MulticastMac",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    nets: [ { slot: net0, bridge: vmbr0, macaddr: \"01:00:5E:00:00:01\" } ]\n",
     {"6:51: error: vms[0].nets[0].macaddr: `01:00:5E:00:00:01` is not a unicast MAC address (XX:XX:XX:XX:XX:XX, "
      "second digit even)"}},
    {"CidrPrefixAbove32",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: vmbr0, type: bridge, cidr: 10.0.0.11/33 } ]\n",
     {"4:52: error: nodes[0].network[0].cidr: `10.0.0.11/33` is not an IPv4 address with a prefix length 8..32 "
      "(e.g. 10.0.0.11/24)"}},
    {"DiskSlotOutOfRange",
     "storage:\n"
     "  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    disks: [ { slot: scsi31, storage: local-lvm, size: 8G } ]\n",
     {"8:22: error: vms[0].disks[0].slot: `scsi31` is not a valid value here (must match "
      "^(scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|sata[0-5]|ide[0-3])$)"}},
};

INSTANTIATE_TEST_SUITE_P(SyntaxAndTypes, BadSpecs, ::testing::ValuesIn(kSyntaxAndTypes),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(ProxmoxRanges, BadSpecs, ::testing::ValuesIn(kProxmoxRanges),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(ProxmoxFormats, BadSpecs, ::testing::ValuesIn(kProxmoxFormats),
                         CaseName);

}  // namespace
}  // namespace hainfra::testing
