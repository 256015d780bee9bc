// The bad-spec corpus, part 3: `datacenter:` and `pools:` — what Proxmox would refuse (its enums, ranges and
// formats: CIDR, MAC prefix, mail address, pool ids), an empty next-id range, pool members the spec does not
// declare, a guest in two pools.
#include "tests/testing/bad_spec.h"

namespace hainfra::testing {
namespace {

const BadSpec kBadDatacenter[] = {
    {"DatacenterKeyMisspelt",
     "datacenter:\n"
     "  keybaord: de\n",
     {"2:3: error: datacenter: unknown key `keybaord` — did you mean `keyboard`?"}},
    {"KeyboardLayoutProxmoxDoesNotKnow",
     "datacenter:\n"
     "  keyboard: en-xx\n",
     {"2:13: error: datacenter.keyboard: `en-xx` is not one of: de, de-ch, da, en-gb, en-us, es, fi, fr, "
      "fr-be, fr-ca, fr-ch, hu, is, it, ja, lt, mk, nl, no, pl, pt, pt-br, sv, sl, tr — did you mean `en-gb`?"}},
    {"MigrationNetworkWithoutPrefix",
     "datacenter:\n"
     "  migration: { type: insecure, network: 10.20.20.0 }\n",
     {"2:41: error: datacenter.migration.network: `10.20.20.0` is not an IPv4 or IPv6 network in CIDR form "
      "(e.g. 10.10.10.0/24)"}},
    {"MacPrefixThatIsNotUnicast",
     "datacenter:\n"
     "  mac_prefix: \"BD:24:11\"\n",
     {"2:15: error: datacenter.mac_prefix: `BD:24:11` is not a unicast MAC address prefix of up to three octets "
      "and a half (e.g. BC:24:11:0)"}},
    {"NoWorkers",
     "datacenter:\n"
     "  max_workers: 0\n",
     {"2:16: error: datacenter.max_workers: must be at least 1, got 0"}},
    {"NextIdUpperBeyondProxmoxsMaximum",
     "datacenter:\n"
     "  next_id: { lower: 1000, upper: 2000000000 }\n",
     {"2:34: error: datacenter.next_id.upper: must be at most 1000000000, got 2000000000"}},
    {"NextIdRangeWithoutAVmid",
     "datacenter:\n"
     "  next_id: { lower: 2000, upper: 2000 }\n",
     {"2:14: error: datacenter/datacenter: next_id lower 2000 must be below upper 2000 (upper is exclusive: the "
      "range would hold no VMID)"}},
    {"MailSenderThatIsNotAnAddress",
     "datacenter:\n"
     "  email_from: root at example\n",
     {"2:15: error: datacenter.email_from: `root at example` is not a mail address (e.g. pve@example.com)"}},
    {"ShutdownPolicyProxmoxDoesNotKnow",
     "datacenter:\n"
     "  ha: { shutdown_policy: reboot }\n",
     {"2:26: error: datacenter.ha.shutdown_policy: `reboot` is not one of: freeze, failover, conditional, migrate"}},
    {"TagColorThatIsNotHex",
     "datacenter:\n"
     "  tag_style: { color_map: { prod: red } }\n",
     {"2:35: error: datacenter.tag_style.color_map.prod: `red` is not a hex color RRGGBB, optionally :RRGGBB for "
      "the text"}},
    {"BandwidthLimitBelowZero",
     "datacenter:\n"
     "  bwlimit: { migration: -1 }\n",
     {"2:25: error: datacenter.bwlimit.migration: must be at least 0, got -1"}},
};

const BadSpec kBadPools[] = {
    {"PoolMemberNoSpecDeclares",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01 }\n"
     "pools:\n"
     "  - { id: research, vms: [100, 101] }\n",
     {"6:32: error: pool/research: uses guest `101`, which is not declared — did you mean `100`?"}},
    {"PoolStorageNoSpecDeclares",
     "pools:\n"
     "  - { id: research, storage: [ceph-vm] }\n",
     {"2:31: error: pool/research: uses storage `ceph-vm`, which is not declared"}},
    {"GuestInTwoPools",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01 }\n"
     "pools:\n"
     "  - { id: research, vms: [100] }\n"
     "  - { id: teaching, vms: [100] }\n",
     {"7:27: error: pool/teaching: guest 100 is already in pool `research` (a guest belongs to one pool at most)"}},
    {"PoolIdStartingWithADigit",
     "pools:\n"
     "  - { id: 1research }\n",
     {"2:11: error: pools[0].id: `1research` is not a pool id: names of letters, digits, '.', '-' or '_' "
      "starting with a letter, up to three joined by '/'"}},
    {"PoolNestedFourLevels",
     "pools:\n"
     "  - { id: a/b/c/d }\n",
     {"2:11: error: pools[0].id: `a/b/c/d` is not a pool id: names of letters, digits, '.', '-' or '_' "
      "starting with a letter, up to three joined by '/'"}},
    {"NestedPoolUnderAnAbsentParent",
     "pools:\n"
     "  - { id: lab, state: absent }\n"
     "  - { id: lab/students }\n",
     {"3:7: error: pool/lab/students: its parent pool `lab` is declared absent"}},
};

INSTANTIATE_TEST_SUITE_P(Datacenter, BadSpecs, ::testing::ValuesIn(kBadDatacenter), CaseName);
INSTANTIATE_TEST_SUITE_P(Pools, BadSpecs, ::testing::ValuesIn(kBadPools), CaseName);

}  // namespace
}  // namespace hainfra::testing
