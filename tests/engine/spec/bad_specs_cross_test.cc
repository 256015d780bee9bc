// The bad-spec corpus, part 2: problems only visible across objects — duplicates, dangling references,
// cluster consistency, HA rules, secrets, storage types and the rest of the cross-object checks.
#include "tests/testing/bad_spec.h"

namespace hainfra::testing {
namespace {

const BadSpec kDuplicates[] = {
    {"TwoVmsWithOneVmid",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01 }\n"
     "  - { vmid: 100, node: pve-01 }\n",
     {"5:5: error: duplicate vm/100 (first declared at spec.yaml:4:5)"}},
    {"TwoNodesWithOneAddress",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.11 }\n"
     "  - { name: pve-03, address: 10.0.0.13 }\n",
     {"3:21: error: node/pve-02: address 10.0.0.11 is also used by node/pve-01"}},
    {"TwoDisksInOneSlot",
     "storage:\n"
     "  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - vmid: 100\n"
     "    node: pve-01\n"
     "    disks:\n"
     "      - { slot: scsi0, storage: local-lvm, size: 32G }\n"
     "      - { slot: scsi0, storage: local-lvm, size: 64G }\n",
     {"10:9: error: vms[0].disks[1]: duplicate slot `scsi0` in `disks` (first written at line 9)"}},
    {"OneMacOnTwoVms",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, nets: [ { slot: net0, bridge: vmbr0, macaddr: \"BC:24:11:00:00:01\" } ] }\n"
     "  - { vmid: 101, node: pve-01, nets: [ { slot: net0, bridge: vmbr0, macaddr: \"bc:24:11:00:00:01\" } ] }\n",
     {"5:69: error: vm/101: MAC address bc:24:11:00:00:01 is also used by vm/100"}},
    {"TwoVnetsWithOneTagInAZone",
     "vlans:\n"
     "  - { name: hpc, zone: lab, bridge: vmbr0, tag: 20 }\n"
     "  - { name: web, zone: lab, bridge: vmbr0, tag: 20 }\n",
     {"3:44: error: vlan/web: tag 20 is also used by vlan/hpc in zone lab"}},
};

const BadSpec kReferences[] = {
    {"VmOnAnUndeclaredNode",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-1 }\n",
     {"4:18: error: vm/100: uses node `pve-1`, which is not declared — did you mean `pve-01`?"}},
    {"NetOnABridgeNoNodeDeclares",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.11/24 } ]\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, nets: [ { slot: net0, bridge: vmbr9 } ] }\n",
     {"6:54: error: vm/100: uses bridge `vmbr9`, which no node declares and no vlan is named — did you mean "
      "`vmbr0`?"}},
    {"NetOnABridgeOfAnotherNode",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.11/24 } ]\n"
     "  - name: pve-02\n"
     "    address: 10.0.0.12\n"
     "    network:\n"
     "      - { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.12/24 }\n"
     "      - { iface: vmbr1, type: bridge, ports: [eno2] }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, nets: [ { slot: net0, bridge: vmbr1 } ] }\n",
     {"5:5: warning: node/pve-02: a 2-node cluster loses quorum when either node fails: add "
      "cluster.corosync.qdevice",
      "11:54: error: vm/100: bridge vmbr1 is not declared on node pve-01"}},
    {"DiskOnAnUndeclaredStorage",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, disks: [ { slot: scsi0, storage: ceph-vm, size: 32G } ] }\n",
     {"4:56: error: vm/100: uses storage `ceph-vm`, which is not declared"}},
    {"HaResourceForAnUndeclaredVm",
     "ha:\n"
     "  resources:\n"
     "    - { sid: \"vm:100\", state: started }\n",
     {"3:9: error: ha_resource/vm:100: names vm/100, which is not declared"}},
    {"NodeUsingAnUndeclaredBaseline",
     "baselines:\n"
     "  - { name: standard }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, baseline: standrd }\n",
     {"4:41: error: node/pve-01: uses baseline `standrd`, which is not declared — did you mean `standard`?"}},
    {"HaRuleNamingAGuestThatIsNotAnHaResource",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - { name: pin, type: node-affinity, resources: [\"vm:100\", \"vm:101\"], nodes: { pve-01: 1 } }\n",
     {"7:63: error: ha_rule/pin: `vm:101` is not an HA resource: give vm/101 an `ha:` block or add it to "
      "ha.resources"}},
    {"RbdStorageOnAnUndeclaredCephPool",
     "storage:\n"
     "  - { id: ceph-vm, type: rbd, pool: vm-pool }\n",
     {"2:31: error: storage/ceph-vm: uses ceph pool `vm-pool`, which ceph.pools does not declare (or set monhost "
      "for an external cluster)"}},
    {"ReferenceToAnObjectDeclaredAbsent",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.12, state: absent }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-02 }\n",
     {"5:18: error: vm/100: uses node `pve-02`, which is declared absent"}},
    {"HaGroupNamingAnUndeclaredNode",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "ha:\n"
     "  groups:\n"
     "    - { name: first, nodes: { pve-01: 2, pve-09: 1 } }\n",
     {"5:42: error: ha_group/first: uses node `pve-09`, which is not declared — did you mean `pve-01`?"}},
};

const BadSpec kCluster[] = {
    {"NodeWithoutAnAddressOnEveryLink",
     "cluster:\n"
     "  name: lab\n"
     "  corosync:\n"
     "    links: [ { id: 0, network: 10.10.10.0/24 }, { id: 1, network: 10.20.20.0/24 } ]\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, corosync: { link0: 10.10.10.11, link1: 10.20.20.11 } }\n"
     "  - { name: pve-02, address: 10.0.0.12, corosync: { link0: 10.10.10.12, link1: 10.20.20.12 } }\n"
     "  - { name: pve-03, address: 10.0.0.13, corosync: { link0: 10.10.10.13 } }\n",
     {"8:41: error: node/pve-03: no address for corosync link 1 (cluster.corosync.links declares it): add "
      "corosync.link1"}},
    {"LinkAddressOutsideTheLinkNetwork",
     "cluster:\n"
     "  name: lab\n"
     "  corosync:\n"
     "    links: [ { id: 0, network: 10.10.10.0/24 } ]\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, corosync: { link0: 10.10.10.11 } }\n"
     "  - { name: pve-02, address: 10.0.0.12, corosync: { link0: 10.10.11.12 } }\n"
     "  - { name: pve-03, address: 10.0.0.13, corosync: { link0: 10.10.10.13 } }\n",
     {"7:53: error: node/pve-02: corosync link0 address 10.10.11.12 is outside link 0's network 10.10.10.0/24"}},
    {"LinkAddressUsedTwice",
     "cluster:\n"
     "  name: lab\n"
     "  corosync:\n"
     "    links: [ { id: 0, network: 10.10.10.0/24 } ]\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, corosync: { link0: 10.10.10.11 } }\n"
     "  - { name: pve-02, address: 10.0.0.12, corosync: { link0: 10.10.10.11 } }\n"
     "  - { name: pve-03, address: 10.0.0.13, corosync: { link0: 10.10.10.13 } }\n",
     {"7:53: error: node/pve-02: corosync link0 address 10.10.10.11 is also used by node/pve-01"}},
    {"NodeAddressOnALinkTheClusterLacks",
     "cluster:\n"
     "  name: lab\n"
     "  corosync:\n"
     "    links: [ { id: 0, network: 10.10.10.0/24 } ]\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, corosync: { link0: 10.10.10.11, link3: 10.30.0.11 } }\n",
     {"6:73: error: node/pve-01: corosync link3 is not a link of the cluster (add it to cluster.corosync.links)"}},
    {"TwoNodesWithoutQDeviceWarns",
     "cluster:\n"
     "  name: pair\n"
     "  corosync: { totem: { token: 3000 } }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n",
     {"3:3: warning: cluster/pair: a 2-node cluster loses quorum when either node fails: add "
      "cluster.corosync.qdevice"}},
    {"EvenVotesWithoutQDeviceWarns",
     "cluster:\n"
     "  name: four\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n"
     "  - { name: pve-03, address: 10.0.0.13 }\n"
     "  - { name: pve-04, address: 10.0.0.14 }\n",
     {"2:3: warning: cluster/four: an even number of votes (4) can split into two halves without quorum: add "
      "cluster.corosync.qdevice"}},
    {"DuplicateCorosyncNodeId",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11, corosync: { nodeid: 1 } }\n"
     "  - { name: pve-02, address: 10.0.0.12, corosync: { nodeid: 1, votes: 2 } }\n",
     {"3:53: error: node/pve-02: corosync nodeid 1 is also used by node/pve-01"}},
};

const BadSpec kHa[] = {
    {"ResourceAffinityWithOneResource",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - { name: alone, type: resource-affinity, affinity: negative, resources: [\"vm:100\"] }\n",
     {"7:67: error: ha_rule/alone: a resource-affinity rule needs at least 2 resources"}},
    {"NegativeAffinityWithMoreResourcesThanNodes",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n"
     "  - { name: pve-03, address: 10.0.0.13 }\n"
     "vms:\n"
     "  - { vmid: 101, node: pve-01, ha: { state: started } }\n"
     "  - { vmid: 102, node: pve-02, ha: { state: started } }\n"
     "  - { vmid: 103, node: pve-03, ha: { state: started } }\n"
     "  - { vmid: 104, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - name: apart\n"
     "      type: resource-affinity\n"
     "      affinity: negative\n"
     "      resources: [\"vm:101\", \"vm:102\", \"vm:103\", \"vm:104\"]\n",
     {"15:7: error: ha_rule/apart: keeps 4 resources apart on only 3 nodes"}},
    {"ResourceInTwoNodeAffinityRules",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - { name: one, type: node-affinity, resources: [\"vm:100\"], nodes: { pve-01: 1 } }\n"
     "    - { name: two, type: node-affinity, resources: [\"vm:100\"], nodes: { pve-01: 2 } }\n",
     {"8:53: error: ha_rule/two: vm:100 is already in node-affinity rule one (a resource may be in one "
      "node-affinity rule only)"}},
    {"NodeAffinityWithoutNodes",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - { name: pin, type: node-affinity, resources: [\"vm:100\"], affinity: positive }\n",
     {"7:20: error: ha_rule/pin: a node-affinity rule needs `nodes`",
      "7:64: error: ha_rule/pin: `affinity` applies to resource-affinity rules only"}},
    {"PositiveAndNegativeRulesShareResources",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n"
     "  - { name: pve-03, address: 10.0.0.13 }\n"
     "vms:\n"
     "  - { vmid: 101, node: pve-01, ha: { state: started } }\n"
     "  - { vmid: 102, node: pve-02, ha: { state: started } }\n"
     "ha:\n"
     "  rules:\n"
     "    - { name: together, type: resource-affinity, affinity: positive, resources: [\"vm:101\", \"vm:102\"] }\n"
     "    - { name: apart, type: resource-affinity, affinity: negative, resources: [\"vm:101\", \"vm:102\"] }\n",
     {"11:67: error: ha_rule/apart: keeps vm:101 and vm:102 apart, but positive rule together keeps them "
      "together"}},
    {"HaShorthandAndHaResourcesBoth",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, ha: { state: started } }\n"
     "ha:\n"
     "  resources: [ { sid: \"vm:100\" } ]\n",
     {"4:32: error: vm/100: `ha:` and an ha.resources entry (at spec.yaml:6:16) both declare vm:100: keep one of "
      "them"}},
    {"RunStateFightsHa",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, state: stopped, ha: { state: started } }\n",
     {"4:32: error: vm/100: `state: stopped` conflicts with HA, which manages vm:100: set the HA state "
      "(started/stopped) instead"}},
};

const BadSpec kSecrets[] = {
    {"MalformedSecretReference",
     "cluster:\n"
     "  name: lab\n"
     "  api: { endpoint: \"https://10.0.0.11:8006\", secret: \"${env:}\" }\n",
     {"3:54: error: cluster.api.secret: ${env:} needs a variable name"}},
    {"UnknownSecretScheme",
     "cluster:\n"
     "  name: lab\n"
     "  api: { endpoint: \"https://10.0.0.11:8006\", secret: \"${vault:pve}\" }\n",
     {"3:54: error: cluster.api.secret: unknown secret reference: use ${env:NAME} or ${file:PATH}"}},
    {"SecretReferenceOutsideASecretField",
     "nodes:\n"
     "  - { name: pve-01, address: \"${env:NODE_ADDRESS}\" }\n",
     {"2:30: error: nodes[0].address: secret references (${env:...}, ${file:...}) are allowed only in secret "
      "fields"}},
    {"PlainTextSecretWarns",
     "cluster:\n"
     "  name: lab\n"
     "  api: { endpoint: \"https://10.0.0.11:8006\", secret: 1b4c8e2a-5f }\n",
     {"3:54: warning: cluster.api.secret: secret written in plain text; prefer ${env:NAME} or ${file:PATH}"}},
};

const BadSpec kKindRules[] = {
    {"StorageMissingAKeyItsTypeNeeds",
     "storage:\n"
     "  - { id: backup, type: dir, content: [backup] }\n",
     {"2:19: error: storage/backup: storage type dir needs `path`"}},
    {"StorageKeyOfAnotherType",
     "storage:\n"
     "  - { id: backup, type: dir, path: /srv/backup, pool: tank }\n",
     {"2:49: error: storage/backup: `pool` does not apply to storage type dir"}},
    {"StorageContentItsTypeCannotHold",
     "storage:\n"
     "  - { id: pbs, type: pbs, server: 10.0.0.50, datastore: main, content: [backup, images] }\n",
     {"2:81: error: storage/pbs: storage type pbs cannot hold images"}},
    {"DiskOnAStorageWithoutImages",
     "storage:\n"
     "  - { id: isos, type: dir, path: /srv/iso, content: [iso] }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, disks: [ { slot: scsi0, storage: isos, size: 8G } ] }\n",
     {"6:56: error: vm/100: storage `isos` does not hold VM disks (its content has no `images`)"}},
    {"BootDeviceThatIsNotADisk",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, boot: [scsi0, net0], nets: [ { slot: net0, bridge: vmbr0 } ] }\n",
     {"4:39: error: vm/100: boot device scsi0 is not one of its disks, CD-ROMs or nets"}},
    {"ImageDownloadWithoutChecksum",
     "storage:\n"
     "  - { id: local, type: dir, path: /var/lib/vz, content: [iso, import, vztmpl] }\n"
     "images:\n"
     "  - { name: netinst, storage: local, url: \"https://example.org/x.iso\", content: iso }\n",
     {"4:38: error: image/netinst: a download needs `checksum: sha256:HEX` (or sha512:HEX): an image is never taken unchecked"}},
    {"ImageWithAMalformedChecksum",
     "storage:\n"
     "  - { id: local, type: dir, path: /var/lib/vz, content: [iso, import, vztmpl] }\n"
     "images:\n"
     "  - { name: netinst, storage: local, url: \"https://example.org/x.iso\", content: iso, checksum: \"sha256:abc\" }\n",
     {"4:96: error: images[0].checksum: `sha256:abc` is not a valid value here (must match ^(sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128})$)"}},
    {"ImageFileNameProxmoxWillNotImport",
     "storage:\n"
     "  - { id: local, type: dir, path: /var/lib/vz, content: [iso, import, vztmpl] }\n"
     "images:\n"
     "  - { name: noble, storage: local, url: \"https://example.org/noble.img\", content: import, checksum: \"sha256:"
     "0000000000000000000000000000000000000000000000000000000000000000\" }\n",
     {"4:36: error: image/noble: file name noble.img does not fit content import (Proxmox wants .qcow2, .raw, .vmdk or .ova): set `filename`"}},
    {"TemplateThatRuns",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 9000, node: pve-01, template: true, state: running }\n",
     {"4:33: error: vm/9000: a template cannot run (Proxmox refuses to start it): drop `state: running`"}},
    {"PcieWithoutQ35",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, hostpci: [ { slot: hostpci0, mapping: gpu, pcie: true } ] }\n",
     {"4:75: error: vm/100: PCI Express passthrough needs `machine: q35`"}},
    {"VmUsingAnImageTheSpecRemoves",
     "storage:\n"
     "  - { id: local, type: dir, path: /var/lib/vz, content: [iso, import, vztmpl] }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "images:\n"
     "  - { name: netinst, state: absent, storage: local, url: \"https://example.org/x.iso\", content: iso }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, cdrom: { ide2: \"local:iso/x.iso\" } }\n",
     {"8:41: error: vm/100: uses local:iso/x.iso, which image/netinst removes (state: absent)"}},
    {"BackupJobWithoutGuests",
     "backup_jobs:\n"
     "  - { id: nightly, schedule: \"02:00\" }\n",
     {"2:5: error: backup_job/nightly: choose the guests to back up: all: true, vms: [...] or pool"}},
    {"TwoGatewaysOnANode",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network:\n"
     "      - { iface: vmbr0, type: bridge, cidr: 10.0.0.11/24, gateway: 10.0.0.1 }\n"
     "      - { iface: vmbr1, type: bridge, cidr: 10.1.0.11/24, gateway: 10.2.0.1 }\n",
     {"6:59: error: node/pve-01: only one interface per node may have a gateway (vmbr0 has one)"}},
    {"GatewayOutsideTheInterfaceNetwork",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: vmbr0, type: bridge, cidr: 10.0.0.11/24, gateway: 10.1.0.1 } ]\n",
     {"4:66: error: node/pve-01: gateway 10.1.0.1 is outside vmbr0's network 10.0.0.11/24"}},
    {"PackagePresentAndAbsent",
     "baselines:\n"
     "  - name: standard\n"
     "    packages: { present: [chrony], absent: [chrony] }\n",
     {"3:27: error: baseline/standard: package chrony is listed both present and absent"}},
    {"MinSizeAboveSize",
     "ceph:\n"
     "  pools: [ { name: vm-pool, size: 2, min_size: 3 } ]\n",
     {"2:38: error: ceph_pool/vm-pool: min_size 3 is larger than size 2"}},
    {"EfiDiskWithoutOvmf",
     "storage:\n"
     "  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, efi_disk: { storage: local-lvm } }\n",
     {"6:32: error: vm/100: an efi_disk needs bios: ovmf"}},
    {"TypeOnlyKeyOnTheWrongInterface",
     "nodes:\n"
     "  - name: pve-01\n"
     "    address: 10.0.0.11\n"
     "    network: [ { iface: eno1, type: eth, slaves: [eno2] } ]\n",
     {"4:42: error: node/pve-01: `slaves` applies to bond interfaces only (eno1 is of type eth)"}},
    {"ContainerSharingAVmsVmid",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01 }\n"
     "containers:\n"
     "  - { vmid: 100, node: pve-01 }\n",
     {"6:7: error: ct/100: vmid 100 is also vm/100 (VMs and containers share one id space)"}},
    {"ContainerMountPointBothVolumeAndBindMount",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "containers:\n"
     "  - { vmid: 300, node: pve-01, mount_points: [ { slot: mp0, size: 8G, bind: /srv/share, path: /share } ] }\n",
     {"4:71: error: ct/300: a mount point is a volume (storage, size) or a bind mount, not both"}},
    {"ContainerVolumeOnAStorageWithoutRootdir",
     "storage:\n"
     "  - { id: vmdisks, type: lvmthin, vgname: pve, thinpool: data, content: [images] }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "containers:\n"
     "  - { vmid: 300, node: pve-01, rootfs: { storage: vmdisks, size: 8G } }\n",
     {"6:42: error: ct/300: storage `vmdisks` does not hold container volumes (its content has no `rootdir`)"}},
    {"ContainerMountPointSlotOutOfRange",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "containers:\n"
     "  - { vmid: 300, node: pve-01, mount_points: [ { slot: mp256, storage: local-lvm, size: 1G, path: /x } ] }\n",
     {"4:56: error: containers[0].mount_points[0].slot: `mp256` is not a valid value here (must match ^mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$)", "4:63: error: ct/300: uses storage `local-lvm`, which is not declared"}},
    {"ContainerQuotaWhenUnprivileged",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "containers:\n"
     "  - { vmid: 300, node: pve-01, unprivileged: true, rootfs: { storage: local-lvm, size: 8G, quota: true } }\n",
     {"4:62: error: ct/300: uses storage `local-lvm`, which is not declared", "4:92: error: ct/300: quotas are not supported in unprivileged containers"}},
    {"HaResourceNamingAContainerAsAVm",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "containers:\n"
     "  - { vmid: 300, node: pve-01 }\n"
     "ha:\n"
     "  resources: [ { sid: \"vm:300\" } ]\n",
     {"6:18: error: ha_resource/vm:300: names vm/300, which is not declared (ct/300 is: write ct:300)"}},
    {"SpecWithNothingInIt",
     "# only a comment\n",
     {"spec.yaml: warning: the file declares nothing", "spec.yaml: error: the spec declares no objects"}},
};

INSTANTIATE_TEST_SUITE_P(Duplicates, BadSpecs, ::testing::ValuesIn(kDuplicates), CaseName);
INSTANTIATE_TEST_SUITE_P(References, BadSpecs, ::testing::ValuesIn(kReferences), CaseName);
INSTANTIATE_TEST_SUITE_P(Cluster, BadSpecs, ::testing::ValuesIn(kCluster), CaseName);
INSTANTIATE_TEST_SUITE_P(Ha, BadSpecs, ::testing::ValuesIn(kHa), CaseName);
INSTANTIATE_TEST_SUITE_P(Secrets, BadSpecs, ::testing::ValuesIn(kSecrets), CaseName);
INSTANTIATE_TEST_SUITE_P(KindRules, BadSpecs, ::testing::ValuesIn(kKindRules), CaseName);

}  // namespace
}  // namespace hainfra::testing
