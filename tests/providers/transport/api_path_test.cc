#include "providers/transport/api_path.h"

#include <gtest/gtest.h>

namespace hainfra::transport {
namespace {

TEST(ApiPath, PlainSegmentsAreJoinedUnchanged) {
  EXPECT_EQ(ApiPath({"nodes", "pve-01", "qemu", "100", "config"}), "/nodes/pve-01/qemu/100/config");
}

TEST(ApiPath, SpecValuesCannotAddSegmentsOrQueries) {
  EXPECT_EQ(EncodePathSegment("a/b"), "a%2Fb");
  EXPECT_EQ(EncodePathSegment("x?delete=1#y"), "x%3Fdelete%3D1%23y");
  EXPECT_EQ(EncodePathSegment("pve 01"), "pve%2001");
  EXPECT_EQ(EncodePathSegment("100%"), "100%25");
}

TEST(ApiPath, DotSegmentsAreEncodedSoTheyCannotClimb) {
  EXPECT_EQ(ApiPath({"nodes", "..", "access"}), "/nodes/%2E%2E/access");
  EXPECT_EQ(EncodePathSegment("."), "%2E");
  EXPECT_EQ(EncodePathSegment("vm.100"), "vm.100");
}

TEST(ApiPath, UpidColonsAndAtSignsStayLiteral) {
  EXPECT_EQ(EncodePathSegment("UPID:pve-01:00001A2B:0022C3D4:65A1B2C3:qmstart:100:root@pam:"),
            "UPID:pve-01:00001A2B:0022C3D4:65A1B2C3:qmstart:100:root@pam:");
}

TEST(ApiPath, NonAsciiIsPercentEncodedByteByByte) { EXPECT_EQ(EncodePathSegment("ü"), "%C3%BC"); }

TEST(EncodeForm, ScalarsBooleansAndLists) {
  auto form = EncodeForm({{"b", true}, {"c", false}, {"n", 42}, {"s", "a b&c=d+e"}, {"l", {"x", "y"}}, {"z", nullptr}});
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_EQ(*form, "b=1&c=0&l=x&l=y&n=42&s=a%20b%26c%3Dd%2Be");
}

TEST(EncodeForm, EmptyAndNullGiveAnEmptyBody) {
  EXPECT_EQ(*EncodeForm(Value::object()), "");
  EXPECT_EQ(*EncodeForm(Value()), "");
}

TEST(EncodeForm, NestedObjectsAreRefusedNamingTheKey) {
  auto form = EncodeForm({{"net0", {{"bridge", "vmbr0"}}}});
  ASSERT_FALSE(form);
  EXPECT_EQ(form.error().code, Code::kInvalidArgument);
  EXPECT_NE(form.error().message.find("net0"), std::string::npos);
  EXPECT_FALSE(EncodeForm(Value::array({1, 2})));
}

}  // namespace
}  // namespace hainfra::transport
