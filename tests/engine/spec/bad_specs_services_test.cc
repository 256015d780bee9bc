// The bad-spec corpus, part 4: the cluster services — replication jobs whose guest, target, schedule or
// volumes Proxmox would refuse (only ZFS replicates, and the target needs the same storage).
#include "tests/testing/bad_spec.h"

namespace hainfra::testing {
namespace {

// Three nodes, a ZFS storage on both, one only on pve-01, and an LVM-thin one.
#define SERVICES_HEAD                                                              \
  "nodes:\n"                                                                       \
  "  - { name: pve-01, address: 10.0.0.11 }\n"                                     \
  "  - { name: pve-02, address: 10.0.0.12 }\n"                                     \
  "  - { name: pve-03, address: 10.0.0.13 }\n"                                     \
  "storage:\n"                                                                     \
  "  - { id: tank, type: zfspool, pool: rpool/data, content: [images, rootdir] }\n" \
  "  - { id: tank1, type: zfspool, pool: rpool/one, content: [images, rootdir], nodes: [pve-01] }\n" \
  "  - { id: thin, type: lvmthin, vgname: pve, thinpool: data, content: [images] }\n"

const BadSpec kBadReplication[] = {
    {"ReplicationOfAGuestTheSpecDoesNotDeclare",
     SERVICES_HEAD
     "replication:\n"
     "  - { id: 100-0, target: pve-02 }\n",
     {"10:7: error: replication/100-0: guest 100 is not a declared VM or container (the id is <GUEST>-<JOBNUM>)"}},
    {"ReplicationIdWithoutAJobNumber",
     SERVICES_HEAD
     "replication:\n"
     "  - { id: \"100\", target: pve-02 }\n",
     {"10:11: error: replication[0].id: `100` is not a valid value here (must match ^[1-9][0-9]{2,8}-[0-9]{1,9}$)"}},
    {"ReplicationToTheGuestsOwnNode",
     SERVICES_HEAD
     "vms:\n"
     "  - { vmid: 100, name: db, node: pve-01, disks: [ { slot: scsi0, storage: tank, size: 8G } ] }\n"
     "replication:\n"
     "  - { id: 100-0, target: pve-01 }\n",
     {"12:18: error: replication/100-0: guest 100 runs on pve-01: the target must be another node"}},
    {"ReplicationOfADiskOnLvmThin",
     SERVICES_HEAD
     "vms:\n"
     "  - { vmid: 100, name: db, node: pve-01, disks: [ { slot: scsi0, storage: tank, size: 8G },\n"
     "                                                { slot: scsi1, storage: thin, size: 8G } ] }\n"
     "replication:\n"
     "  - { id: 100-0, target: pve-02 }\n",
     {"13:7: error: replication/100-0: guest 100's volume vm/100/disks/1/storage is on storage `thin` (lvmthin): replication needs every volume on a zfspool storage (or `replicate: false` on it)"}},
    {"ReplicationToANodeWithoutTheStorage",
     SERVICES_HEAD
     "containers:\n"
     "  - { vmid: 200, hostname: ns, node: pve-01, rootfs: { storage: tank1, size: 8G } }\n"
     "replication:\n"
     "  - { id: 200-0, target: pve-02 }\n",
     {"12:18: error: replication/200-0: guest 200's volume ct/200/rootfs/storage is on storage `tank1`, which target pve-02 does not have (see the storage's `nodes`)"}},
    {"TwoJobsToTheSameTarget",
     SERVICES_HEAD
     "vms:\n"
     "  - { vmid: 100, name: db, node: pve-01, disks: [ { slot: scsi0, storage: tank, size: 8G } ] }\n"
     "replication:\n"
     "  - { id: 100-0, target: pve-02 }\n"
     "  - { id: 100-1, target: pve-02 }\n",
     {"13:18: error: replication/100-1: guest 100 already has a replication job to pve-02"}},
    {"ReplicationScheduleProxmoxRefuses",
     SERVICES_HEAD
     "vms:\n"
     "  - { vmid: 100, name: db, node: pve-01, disks: [ { slot: scsi0, storage: thin, size: 8G, replicate: false } ] }\n"
     "replication:\n"
     "  - { id: 100-0, target: pve-02, schedule: \"25:00\" }\n",
     {"12:34: error: replication/100-0: Proxmox refuses the schedule `25:00`: hour 25 is out of range 0..23"}},
};

const BadSpec kBadNotifications[] = {
    {"MatcherNamingAnUndeclaredTarget",
     "notifications:\n"
     "  sendmail:\n"
     "    - { name: ops-mail, mailto: [ops@example.com] }\n"
     "  matchers:\n"
     "    - { name: all, targets: [ops-mail, pager] }\n",
     {"5:40: error: notification_matcher/all: target `pager` is not a declared notification target (sendmail, smtp, gotify, webhooks) or the built-in mail-to-root"}},
    {"TargetAndMatcherWithOneName",
     "notifications:\n"
     "  sendmail:\n"
     "    - { name: ops, mailto: [ops@example.com] }\n"
     "  matchers:\n"
     "    - { name: ops, targets: [mail-to-root] }\n",
     {"5:9: error: notification_matcher/ops: the name `ops` is already used by notification_sendmail/ops (targets and matchers share one name space)"}},
    {"MailTargetWithoutARecipient",
     "notifications:\n"
     "  smtp:\n"
     "    - { name: relay, server: smtp.example.com, from_address: pve@example.com }\n",
     {"3:7: error: notification_smtp/relay: a mail target needs a recipient: mailto or mailto_users"}},
    {"SeverityProxmoxDoesNotKnow",
     "notifications:\n"
     "  matchers:\n"
     "    - { name: all, severity: [critical] }\n",
     {"3:31: error: notifications.matchers[0].severity[0]: `critical` is not one of: info, notice, warning, error, unknown"}},
};

const BadSpec kBadMetricServers[] = {
    {"GraphiteOverHttp",
     "metric_servers:\n"
     "  - { id: graph, type: graphite, server: 10.0.0.6, port: 2003, protocol: http }\n",
     {"2:64: error: metric_server/graph: a graphite server speaks udp or tcp, not http"}},
    {"InfluxTokenOverUdp",
     "metric_servers:\n"
     "  - { id: influx, type: influxdb, server: 10.0.0.5, port: 8089, token: \"${env:T}\" }\n",
     {"2:65: error: metric_server/influx: `token` applies to influxdb over http or https only"}},
};

INSTANTIATE_TEST_SUITE_P(Replication, BadSpecs, ::testing::ValuesIn(kBadReplication), CaseName);
INSTANTIATE_TEST_SUITE_P(Notifications, BadSpecs, ::testing::ValuesIn(kBadNotifications), CaseName);
INSTANTIATE_TEST_SUITE_P(MetricServers, BadSpecs, ::testing::ValuesIn(kBadMetricServers), CaseName);

const BadSpec kBadAcmePlugins[] = {
    {"DnsWithoutApi",
     "certificates:\n"
     "  acme_plugins:\n"
     "    - { id: cf, type: dns }\n",
     {"3:7: error: acme_plugin/cf: a dns plugin needs `api`: the acme.sh DNS API it drives (e.g. cf)"}},
    {"StandaloneWithData",
     "certificates:\n"
     "  acme_plugins:\n"
     "    - { id: http, type: standalone, data: { K: \"${env:K}\" } }\n",
     {"3:37: error: acme_plugin/http: `data` applies to dns plugins only"}},
    {"UnknownNode",
     "certificates:\n"
     "  acme_plugins:\n"
     "    - { id: http, type: standalone, nodes: [pve-99] }\n",
     {"3:45: error: acme_plugin/http: uses node `pve-99`, which is not declared"}},
};

INSTANTIATE_TEST_SUITE_P(AcmePlugins, BadSpecs, ::testing::ValuesIn(kBadAcmePlugins), CaseName);

}  // namespace
}  // namespace hainfra::testing

#undef SERVICES_HEAD
