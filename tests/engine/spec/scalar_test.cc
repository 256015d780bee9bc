#include "engine/spec/scalar.h"

#include <gtest/gtest.h>

namespace hainfra::spec {
namespace {

TEST(ResolvePlain, FollowsTheYaml12CoreSchema) {
  EXPECT_EQ(ResolvePlain("42").type, ScalarType::kInt);
  EXPECT_EQ(ResolvePlain("-7").integer, -7);
  EXPECT_EQ(ResolvePlain("0x1F").integer, 31);
  EXPECT_EQ(ResolvePlain("0o17").integer, 15);
  EXPECT_EQ(ResolvePlain("2.5").type, ScalarType::kNumber);
  EXPECT_EQ(ResolvePlain("1e3").number, 1000.0);
  EXPECT_EQ(ResolvePlain("true").boolean, true);
  EXPECT_EQ(ResolvePlain("False").type, ScalarType::kBool);
  EXPECT_EQ(ResolvePlain("~").type, ScalarType::kNull);
  EXPECT_EQ(ResolvePlain("null").type, ScalarType::kNull);
}

TEST(ResolvePlain, Yaml11WordsStayText) {
  for (const char* word : {"yes", "no", "on", "off", "y", "n"}) {
    EXPECT_EQ(ResolvePlain(word).type, ScalarType::kString) << word;
  }
}

TEST(ResolvePlain, TextThatLooksNumericIsText) {
  for (const char* text : {"10.0.0.11", "02:00", "32G", "9.1.1", "1-4", "vm:100", ".", "-", "+", "0x", "1e"}) {
    EXPECT_EQ(ResolvePlain(text).type, ScalarType::kString) << text;
  }
}

TEST(ResolvePlain, OverflowIsFlagged) {
  EXPECT_TRUE(ResolvePlain("9223372036854775808").overflow);
  EXPECT_FALSE(ResolvePlain("9223372036854775807").overflow);
  EXPECT_EQ(ResolvePlain("-9223372036854775808").integer, INT64_MIN);
  EXPECT_TRUE(ResolvePlain("1e999").overflow);
  EXPECT_TRUE(ResolvePlain(".inf").overflow);
}

}  // namespace
}  // namespace hainfra::spec
