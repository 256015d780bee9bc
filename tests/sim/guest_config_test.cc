#include "sim/pvesim/guest_config.h"

#include <gtest/gtest.h>

#include "sim/pvesim/section_config.h"

namespace pvesim {
namespace {

const char* kConf =
    "#first line%3A with colon\n"
    "#second\n"
    "boot: order=scsi0;net0\n"
    "cores: 2\n"
    "memory: 2048\n"
    "name: web\n"
    "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
    "onboot: yes\n"
    "\n"
    "[PENDING]\n"
    "cores: 4\n"
    "delete: onboot\n"
    "\n"
    "[before-upgrade]\n"
    "cores: 1\n"
    "snaptime: 1700000000\n";

TEST(GuestConfig, ParsesSectionsAndDescription) {
  GuestConfig c = ParseGuestConfig(kConf);
  EXPECT_EQ(c.main["description"], "first line: with colon\nsecond");
  EXPECT_EQ(c.main["cores"], "2");
  EXPECT_EQ(c.main["onboot"], "1");  // booleans normalized as check_type does
  EXPECT_EQ(c.pending["cores"], "4");
  EXPECT_EQ(c.pending["delete"], "onboot");
  EXPECT_EQ(c.snapshots["before-upgrade"]["cores"], "1");
  EXPECT_EQ(c.digest, Sha1Hex(kConf));
}

TEST(GuestConfig, WritesSortedKeysAndSectionsLikeQemuServer) {
  GuestConfig c = ParseGuestConfig(kConf);
  std::string written = WriteGuestConfig(c);
  EXPECT_EQ(written,
            "#first line%3A with colon\n#second\n"
            "boot: order=scsi0;net0\ncores: 2\nmemory: 2048\nname: web\n"
            "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\nonboot: 1\n"
            "\n[PENDING]\ncores: 4\ndelete: onboot\n"
            "\n[before-upgrade]\ncores: 1\nsnaptime: 1700000000\n");
  EXPECT_EQ(WriteGuestConfig(ParseGuestConfig(written)), written);
}

TEST(GuestConfig, ConfigJsonAppliesPendingUnlessCurrent) {
  GuestConfig c = ParseGuestConfig(kConf);
  auto pending = ConfigJson(c, false);
  EXPECT_EQ(pending["cores"], 4);
  EXPECT_FALSE(pending.contains("onboot"));
  EXPECT_EQ(pending["memory"], "2048");  // memory is a property string since PVE 8: a JSON string
  EXPECT_EQ(pending["digest"], c.digest);
  auto current = ConfigJson(c, true);
  EXPECT_EQ(current["cores"], 2);
  EXPECT_EQ(current["onboot"], 1);
}

TEST(GuestConfig, PendingDeleteListRoundTrips) {
  auto d = ParsePendingDelete("net1,!scsi2");
  EXPECT_FALSE(d["net1"]);
  EXPECT_TRUE(d["scsi2"]);
  EXPECT_EQ(PrintPendingDelete(d), "net1,!scsi2");
}

}  // namespace
}  // namespace pvesim
