// The PVE guest config format as qemu-server and pve-container read it, and the GET .../config answer
// built from a file.
#include "providers/pve/guest_conf.h"

#include <gtest/gtest.h>

namespace hainfra::pve {
namespace {

constexpr const char* kVmConf =
    "#web server%3A front%25\n#second line\nboot: order=scsi0\ncores: 2\nonboot: yes\n"
    "cdrom: none,media=cdrom\nballoon: 0\nname: web  \nscsi0: local-lvm:vm-100-disk-0,size=8G\ncipassword: secret\n"
    "delete: cores\n"
    "\n[PENDING]\ncores: 4\ndelete: onboot,!balloon,name\n"
    "\n[before]\ncores: 1\nsnaptime: 1700000000\n"
    "\n[special:cloudinit]\nipconfig0: ip=dhcp\n"
    "\n[not a section name]\nmemory: 1\n";

TEST(GuestConf, ReadsSectionsAsQemuServerDoes) {
  const GuestConf conf = ParseGuestConf(kVmConf, GuestType::kQemu);
  EXPECT_EQ(conf.main.at("description"), "web server: front%\nsecond line");
  EXPECT_EQ(conf.main.at("onboot"), "1") << "booleans are normalised when read";
  EXPECT_EQ(conf.main.at("ide2"), "none,media=cdrom") << "cdrom is ide2";
  EXPECT_EQ(conf.main.at("name"), "web") << "values are trimmed";
  EXPECT_FALSE(conf.main.contains("delete")) << "`delete` belongs to [PENDING] only";
  EXPECT_FALSE(conf.main.contains("memory")) << "an unknown section's lines are skipped";
  EXPECT_EQ(conf.pending.at("cores"), "4");
  EXPECT_EQ(conf.pending.at("delete"), "onboot,!balloon,name");
  ASSERT_TRUE(conf.snapshots.contains("before"));
  EXPECT_EQ(conf.snapshots.at("before").at("cores"), "1");
  EXPECT_EQ(conf.snapshots.size(), 1u);
}

TEST(GuestConf, TheDigestIsTheSha1OfTheFilesBytes) {
  EXPECT_EQ(ParseGuestConf("", GuestType::kQemu).digest, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("cores: 2\n"), ParseGuestConf("cores: 2\n", GuestType::kQemu).digest);
  EXPECT_NE(ParseGuestConf("cores: 2\n", GuestType::kQemu).digest,
            ParseGuestConf("cores: 2\n\n", GuestType::kQemu).digest)
      << "a blank line the parser skips still changes the digest";
}

TEST(GuestConf, TheAnswerAppliesPendingValuesAndDeletesOnlyTrueValues) {
  const Value answer = GuestConfigAnswer(ParseGuestConf(kVmConf, GuestType::kQemu), GuestType::kQemu);
  EXPECT_EQ(answer["cores"], 4) << "a pending value wins, typed as an integer";
  EXPECT_FALSE(answer.contains("onboot")) << "a pending deletion of a set value";
  EXPECT_FALSE(answer.contains("name"));
  EXPECT_EQ(answer["balloon"], 0) << "load_current_config deletes only a true value";
  EXPECT_EQ(answer["cipassword"], "**********");
  EXPECT_FALSE(answer.contains("snaptime")) << "snapshots are not part of the answer";
  EXPECT_EQ(answer["digest"], Sha1Hex(kVmConf));
  const Value current = GuestConfigAnswer(ParseGuestConf(kVmConf, GuestType::kQemu), GuestType::kQemu, true);
  EXPECT_EQ(current["cores"], 2);
  EXPECT_EQ(current["onboot"], 1);
}

TEST(GuestConf, AContainersRawLxcKeysAreKeptInOrderFromItsCurrentConfigOnly) {
  const std::string text =
      "arch: amd64\nlxc.apparmor.profile: unconfined\nlxc.cgroup2.devices.allow = c 10:200 rwm\nmemory: 512\n"
      "unprivileged: true\ncpulimit: 1.5\n\n[PENDING]\nmemory: 1024\n\n[snap]\nlxc.mount.auto: proc:rw\n";
  const Value answer = GuestConfigAnswer(ParseGuestConf(text, GuestType::kLxc), GuestType::kLxc);
  EXPECT_EQ(answer["lxc"], Value::parse(R"([["lxc.apparmor.profile","unconfined"],["lxc.cgroup2.devices.allow","c 10:200 rwm"]])"));
  EXPECT_EQ(answer["memory"], 1024);
  EXPECT_EQ(answer["unprivileged"], 1);
  EXPECT_EQ(answer["cpulimit"], 1.5);
  EXPECT_EQ(answer["arch"], "amd64");
}

}  // namespace
}  // namespace hainfra::pve
