#include "engine/plan/size.h"

#include <gtest/gtest.h>

namespace hainfra::plan {
namespace {

TEST(ParseSize, ReadsProxmoxUnitsAsPowersOf1024) {
  EXPECT_EQ(ParseSize("32G"), 32LL << 30);
  EXPECT_EQ(ParseSize("32768M"), 32LL << 30);
  EXPECT_EQ(ParseSize("1T"), 1LL << 40);
  EXPECT_EQ(ParseSize("512K"), 512LL << 10);
  EXPECT_EQ(ParseSize("1.5G"), 3LL << 29);
  EXPECT_EQ(ParseSize("4GiB"), 4LL << 30);
}

TEST(ParseSize, PlainNumbersAreBytes) {
  EXPECT_EQ(ParseSize(Value(4096)), 4096);
  EXPECT_EQ(ParseSize("4096"), 4096);
}

TEST(ParseSize, RejectsWhatIsNotASize) {
  EXPECT_FALSE(ParseSize("big"));
  EXPECT_FALSE(ParseSize("12Q"));
  EXPECT_FALSE(ParseSize(""));
  EXPECT_FALSE(ParseSize(Value(-1)));
  EXPECT_FALSE(ParseSize(Value::array()));
}

}  // namespace
}  // namespace hainfra::plan
