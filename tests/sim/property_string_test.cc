#include "sim/pvesim/property_string.h"

#include <gtest/gtest.h>

namespace pvesim {
namespace {

using json = nlohmann::json;

json NetFormat() {
  return {{"model", {{"type", "string"}, {"default_key", 1}}},
          {"bridge", {{"type", "string"}, {"optional", 1}}},
          {"tag", {{"type", "integer"}, {"optional", 1}}},
          {"firewall", {{"type", "boolean"}, {"optional", 1}}},
          {"macaddr", {{"type", "string"}, {"optional", 1}}},
          {"virtio", {{"alias", "macaddr"}, {"keyAlias", "model"}}}};
}

TEST(PropertyString, KeyAliasSetsModelAndMac) {
  auto parts = SplitPropertyString(NetFormat(), "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=on");
  ASSERT_TRUE(parts.has_value()) << parts.error();
  EXPECT_EQ((*parts)["model"], "virtio");
  EXPECT_EQ((*parts)["macaddr"], "BC:24:11:00:00:01");
  EXPECT_EQ((*parts)["firewall"], "1");
}

TEST(PropertyString, PrintsDefaultKeyFirstThenSortedKeys) {
  PropertyMap net = {{"model", "virtio"}, {"macaddr", "BC:24:11:00:00:01"}, {"tag", "20"}, {"bridge", "vmbr0"},
                     {"firewall", "1"}};
  EXPECT_EQ(PrintPropertyString(net, NetFormat()), "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20");
}

TEST(PropertyString, DuplicateAndUnknownKeysAreErrors) {
  EXPECT_EQ(SplitPropertyString(NetFormat(), "virtio,tag=1,tag=2").error(),
            "duplicate key in comma-separated list property: tag\n");
  EXPECT_EQ(SplitPropertyString(NetFormat(), "virtio,vlan=2").error(),
            "invalid key in comma-separated list property: vlan\n");
  EXPECT_EQ(SplitPropertyString(NetFormat(), "virtio,tag=").error(), "missing key in comma-separated list property\n");
}

TEST(PropertyString, SizesRoundTripAsProxmoxFormatsThem) {
  EXPECT_EQ(ParseSize("32G"), 32ull << 30);
  EXPECT_EQ(ParseSize("1.5K"), 1536u);
  EXPECT_FALSE(ParseSize("32GB").has_value());
  EXPECT_EQ(FormatSize(32ull << 30), "32G");
  EXPECT_EQ(FormatSize(1536), "1536");
  EXPECT_EQ(FormatSize(2048), "2K");
}

}  // namespace
}  // namespace pvesim
