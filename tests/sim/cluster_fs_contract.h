// The behaviour every ClusterFs implementation must have (the simulator's MemoryClusterFs and pvelab's
// shared /etc/pve directory alike): call ExpectClusterFsContract on a fresh, quorate, empty instance.
// Paths used are under "pvesim-contract/" so a lab directory with other files is fine.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/pvesim/cluster_fs.h"

namespace pvesim::testing {

inline void ExpectClusterFsContract(ClusterFs& fs) {
  const std::string base = "pvesim-contract";
  EXPECT_FALSE(fs.Read(base + "/absent.cfg").has_value());
  EXPECT_TRUE(fs.List(base + "/nowhere").empty());

  // Writes create parent directories; reads return the exact bytes.
  std::string content = "vm: 100\n\tstate started\n\n\xc3\xa4 no trailing newline";
  ASSERT_TRUE(fs.Write(base + "/nodes/pve-01/qemu-server/100.conf", content).has_value());
  EXPECT_EQ(fs.Read(base + "/nodes/pve-01/qemu-server/100.conf"), content);
  EXPECT_EQ(fs.Read("/" + base + "/nodes/pve-01/qemu-server/100.conf"), content) << "a leading / is the same path";
  ASSERT_TRUE(fs.Write(base + "/nodes/pve-01/qemu-server/100.conf", "name: x\n").has_value());
  EXPECT_EQ(fs.Read(base + "/nodes/pve-01/qemu-server/100.conf"), "name: x\n");
  ASSERT_TRUE(fs.Write(base + "/nodes/pve-01/qemu-server/101.conf", "").has_value());
  EXPECT_EQ(fs.Read(base + "/nodes/pve-01/qemu-server/101.conf"), "") << "empty files exist";
  ASSERT_TRUE(fs.Write(base + "/storage.cfg", "dir: local\n\tpath /var/lib/vz\n\n").has_value());

  // Listings: names only, sorted, directories included.
  EXPECT_EQ(fs.List(base + "/nodes/pve-01/qemu-server"), (std::vector<std::string>{"100.conf", "101.conf"}));
  std::vector<std::string> top = fs.List(base);
  EXPECT_TRUE(std::is_sorted(top.begin(), top.end()));
  EXPECT_NE(std::find(top.begin(), top.end(), "nodes"), top.end());
  EXPECT_NE(std::find(top.begin(), top.end(), "storage.cfg"), top.end());

  // Rename moves a guest between nodes and never overwrites.
  ASSERT_TRUE(fs.Rename(base + "/nodes/pve-01/qemu-server/100.conf", base + "/nodes/pve-02/qemu-server/100.conf").has_value());
  EXPECT_FALSE(fs.Read(base + "/nodes/pve-01/qemu-server/100.conf").has_value());
  EXPECT_EQ(fs.Read(base + "/nodes/pve-02/qemu-server/100.conf"), "name: x\n");
  ASSERT_TRUE(fs.Write(base + "/nodes/pve-01/qemu-server/100.conf", "other\n").has_value());
  EXPECT_FALSE(fs.Rename(base + "/nodes/pve-01/qemu-server/100.conf", base + "/nodes/pve-02/qemu-server/100.conf").has_value());
  EXPECT_EQ(fs.Read(base + "/nodes/pve-02/qemu-server/100.conf"), "name: x\n");
  EXPECT_FALSE(fs.Rename(base + "/absent", base + "/also-absent").has_value());

  // Remove; removing what is not there is an error.
  ASSERT_TRUE(fs.Remove(base + "/nodes/pve-01/qemu-server/100.conf").has_value());
  EXPECT_FALSE(fs.Read(base + "/nodes/pve-01/qemu-server/100.conf").has_value());
  EXPECT_FALSE(fs.Remove(base + "/nodes/pve-01/qemu-server/100.conf").has_value());

  // Lock directories: one holder at a time.
  auto first = fs.MakeLockDir(base + "/priv/lock/hainfra");
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(*first);
  auto second = fs.MakeLockDir(base + "/priv/lock/hainfra");
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(*second);
  ASSERT_TRUE(fs.RemoveLockDir(base + "/priv/lock/hainfra").has_value());
  auto third = fs.MakeLockDir(base + "/priv/lock/hainfra");
  ASSERT_TRUE(third.has_value());
  EXPECT_TRUE(*third);
  ASSERT_TRUE(fs.RemoveLockDir(base + "/priv/lock/hainfra").has_value());

  // Clean up what the contract wrote.
  for (const char* f : {"/nodes/pve-01/qemu-server/101.conf", "/nodes/pve-02/qemu-server/100.conf", "/storage.cfg"})
    EXPECT_TRUE(fs.Remove(base + f).has_value());
}

}  // namespace pvesim::testing
