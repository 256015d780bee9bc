#include "engine/spec/ip_math.h"

#include <gtest/gtest.h>

namespace hainfra::spec {
namespace {

TEST(InNetwork, ComparesThePrefixBits) {
  EXPECT_TRUE(InNetwork("10.10.10.11", "10.10.10.0/24"));
  EXPECT_FALSE(InNetwork("10.10.11.11", "10.10.10.0/24"));
  EXPECT_TRUE(InNetwork("10.0.1.200", "10.0.0.0/23"));
  EXPECT_TRUE(InNetwork("10.0.0.1", "10.0.0.11/24"));  // host bits in the network are ignored
  EXPECT_TRUE(InNetwork("fd00::11", "fd00::/64"));
  EXPECT_FALSE(InNetwork("fd01::11", "fd00::/64"));
}

TEST(InNetwork, MixedFamiliesAndBadInputAreOutside) {
  EXPECT_FALSE(InNetwork("10.0.0.1", "fd00::/64"));
  EXPECT_FALSE(InNetwork("not-an-ip", "10.0.0.0/8"));
  EXPECT_FALSE(InNetwork("10.0.0.1", "10.0.0.0"));
}

}  // namespace
}  // namespace hainfra::spec
