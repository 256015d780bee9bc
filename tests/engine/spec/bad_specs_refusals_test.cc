// What Proxmox, Ceph, sshd and dpkg refuse is refused by `validate` first, at the field: schedules as
// proxmox-time parses them, relations between fields, sshd keywords and values, dpkg versions, API URLs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/bad_spec.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::testing {
namespace {

const BadSpec kRefusals[] = {
    {"ScheduleHourOutOfRange",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"24:00\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `24:00`: hour 24 is out of range 0..23"}},
    {"ScheduleUnknownWeekday",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"mon..fro 02:00\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `mon..fro 02:00`: unknown weekday `fro` (mon, tue, ... sun)"}},
    {"ScheduleRangeBackwards",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"*-*-* 22..06:00\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `*-*-* 22..06:00`: hour range 22..06 starts after it ends"}},
    {"ScheduleMonthZero",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"*-0-1\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `*-0-1`: month 0 is out of range 1..12"}},
    {"ScheduleRepetitionZero",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"*/0\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `*/0`: a repetition of 0 never advances"}},
    {"ScheduleTimeBeforeWeekday",
     "backup_jobs:\n"
     "  - { id: nightly, all: true, schedule: \"02:00 sat\" }\n",
     {"2:31: error: backup_job/nightly: Proxmox refuses the schedule `02:00 sat`: unexpected `sat` after the time (the order is weekdays, date, time)"}},
    {"BalloonAboveMemory",
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n"
     "vms:\n"
     "  - { vmid: 100, node: pve-01, memory: 2048, balloon: 4096 }\n",
     {"4:46: error: vm/100: balloon 4096 MiB is more than memory 2048 MiB (Proxmox refuses it)"}},
    {"PoolOfSizeOneWithTheDefaultMinSize",
     "ceph:\n"
     "  pools: [ { name: scratch, size: 1 } ]\n",
     {"2:29: error: ceph_pool/scratch: size 1 needs `min_size: 1` (Proxmox's default min_size 2 is larger than the size)"}},
    {"SshdUnknownKeyword",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { PermitRootLogn: \"no\" }\n",
     {"3:13: error: baseline/standard: sshd does not know the keyword `PermitRootLogn` (see sshd_config(5))"}},
    {"SshdValueOutsideItsChoices",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { PermitRootLogin: maybe }\n",
     {"3:13: error: baseline/standard: sshd refuses it: PermitRootLogin takes yes, prohibit-password, without-password, forced-commands-only, no, not `maybe`"}},
    {"SshdPortOutOfRange",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { Port: \"70000\" }\n",
     {"3:13: error: baseline/standard: sshd refuses it: Port takes a port 1..65535, not `70000`"}},
    {"SshdTimeWithAnUnknownUnit",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { LoginGraceTime: 2y }\n",
     {"3:13: error: baseline/standard: sshd refuses it: LoginGraceTime takes a time (90, 30s, 2m, 1h30m), not `2y`"}},
    {"SshdMatchInTheDropIn",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { Match: \"User backup\" }\n",
     {"3:13: error: baseline/standard: Match cannot be set in hainfra's drop-in (it would change how the lines after it are read): put it in a file of your own"}},
    {"SshdKeywordOfANewerOpenSsh",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { PerSourcePenalties: \"authfail:1h\" }\n",
     {"3:13: warning: baseline/standard: PerSourcePenalties needs OpenSSH 9.8 (Proxmox VE 9): sshd of Proxmox VE 8 (OpenSSH 9.2) refuses it"}},
    {"SshdDeprecatedKeyword",
     "baselines:\n"
     "  - name: standard\n"
     "    sshd: { UsePrivilegeSeparation: sandbox }\n",
     {"3:13: warning: baseline/standard: UsePrivilegeSeparation is deprecated: sshd ignores it"}},
    {"PackageVersionWithAnEmptyRevision",
     "baselines:\n"
     "  - name: standard\n"
     "    packages: { versions: { chrony: \"4.3-\" } }\n",
     {"3:37: error: baselines[0].packages.versions.chrony: `4.3-` is not a Debian version (e.g. 9.1.1, 1:2.3-4)"}},
    {"EndpointWithoutAValidPort",
     "cluster:\n"
     "  name: lab\n"
     "  api: { endpoint: \"https://10.0.0.11:80060\", token: \"hainfra@pve!ci\", secret: x }\n"
     "nodes:\n"
     "  - { name: pve-01, address: 10.0.0.11 }\n",
     {"3:20: error: cluster.api.endpoint: `https://10.0.0.11:80060` is not an https:// URL of a host name or address and an optional port (e.g. https://10.0.0.11:8006)", "3:80: warning: cluster.api.secret: secret written in plain text; prefer ${env:NAME} or ${file:PATH}"}},
};

INSTANTIATE_TEST_SUITE_P(Refusals, BadSpecs, ::testing::ValuesIn(kRefusals), CaseName);

TEST(ValidSchedules, ProxmoxFormsAreAccepted) {
  for (const char* schedule : {"02:00", "sat 03:30", "*/15", "mon..fri 22:00", "mon,wed,fri *-*-* 01:30:15",
                               "daily", "semi-annually", "sun 2024-*-1..7 04:00", "12-24 8..17/3:00", "Sat..Mon",
                               "*-*-01", "0/2:00", "2030-01-01"}) {
    const std::string yaml =
        std::string("backup_jobs:\n  - { id: nightly, all: true, schedule: \"") + schedule + "\" }\n";
    EXPECT_EQ(Diagnose(yaml), std::vector<std::string>{}) << schedule;
  }
}

TEST(ValidSshdSettings, KeywordsAndValuesSshdTakesAreAccepted) {
  const std::string yaml =
      "baselines:\n"
      "  - name: standard\n"
      "    sshd: { permitrootlogin: prohibit-password, PasswordAuthentication: \"no\", MaxAuthTries: \"3\",\n"
      "            ClientAliveInterval: 5m, MaxStartups: \"10:30:100\", LogLevel: VERBOSE, Port: \"2222\",\n"
      "            AllowUsers: \"root admin\", KexAlgorithms: \"sntrup761x25519-sha512@openssh.com\" }\n";
  EXPECT_EQ(Diagnose(yaml), std::vector<std::string>{});
}

}  // namespace
}  // namespace hainfra::testing
