#include "providers/pve/property_string.h"

#include <gtest/gtest.h>

namespace hainfra::pve {
namespace {

TEST(PropertyString, ParsesANicWithTheModelMacShorthand) {
  auto ps = ParsePropertyString("virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20,firewall=1");
  ASSERT_TRUE(ps) << ps.error().message;
  ASSERT_EQ(ps->entries.size(), 4u);
  EXPECT_EQ(ps->entries[0].first, "virtio");
  EXPECT_EQ(*ps->Find("bridge"), "vmbr0");
  EXPECT_EQ(*ps->Find("tag"), "20");
}

TEST(PropertyString, ABarePartIsTheDefaultKey) {
  auto ps = ParsePropertyString("local-lvm:vm-101-disk-0,iothread=1,size=32G", "file");
  ASSERT_TRUE(ps) << ps.error().message;
  EXPECT_EQ(*ps->Find("file"), "local-lvm:vm-101-disk-0");
  EXPECT_EQ(*ps->Find("size"), "32G");
}

TEST(PropertyString, ABarePartWithoutADefaultKeyIsAnError) {
  auto ps = ParsePropertyString("local-lvm:32,iothread=1");
  ASSERT_FALSE(ps);
  EXPECT_EQ(ps.error().message, "'local-lvm:32' has no key in property string 'local-lvm:32,iothread=1'");
}

TEST(PropertyString, RepeatedKeysAreRefused) {
  auto ps = ParsePropertyString("tag=1,tag=2");
  ASSERT_FALSE(ps);
  EXPECT_NE(ps.error().message.find("repeated key 'tag'"), std::string::npos);
}

TEST(PropertyString, QuotedValuesMayHoldCommas) {
  auto ps = ParsePropertyString(R"(file=local:iso/a.iso,comment="a, \"b\"")");
  ASSERT_TRUE(ps) << ps.error().message;
  EXPECT_EQ(*ps->Find("comment"), "a, \"b\"");
  EXPECT_EQ(FormatPropertyString(*ps), R"(file=local:iso/a.iso,comment="a, \"b\"")");
}

TEST(PropertyString, FormatsTheDefaultKeyFirstAndWithoutItsName) {
  PropertyString ps;
  ps.Set("size", "32G");
  ps.Set("file", "ceph-vm:vm-100-disk-0");
  ps.Set("iothread", "1");
  EXPECT_EQ(FormatPropertyString(ps, "file"), "ceph-vm:vm-100-disk-0,size=32G,iothread=1");
}

// Found by the property_string fuzzer (fuzz/regressions/property_string/default-key-value-with-equals).
TEST(PropertyString, ADefaultValueThatWouldReadAsSomethingElseKeepsItsName) {
  PropertyString ps;
  ps.Set("name", "eth0=x");
  ps.Set("type", "veth");
  EXPECT_EQ(FormatPropertyString(ps, "name"), "name=eth0=x,type=veth");
  ps.Set("name", "");
  EXPECT_EQ(FormatPropertyString(ps, "name"), "name=,type=veth");
}

// Found by the property_string fuzzer (fuzz/regressions/property_string/quoted-key).
TEST(PropertyString, AKeyCannotBeQuoted) {
  auto ps = ParsePropertyString(R"(bridge=vmbr0,"a,b"=1)");
  ASSERT_FALSE(ps);
  EXPECT_NE(ps.error().message.find("quoted key 'a,b'"), std::string::npos) << ps.error().message;
}

TEST(PropertyString, SetReplacesInPlaceAndEraseRemoves) {
  auto ps = ParsePropertyString("a=1,b=2,c=3");
  ASSERT_TRUE(ps);
  ps->Set("b", "20");
  ps->Erase("a");
  EXPECT_EQ(FormatPropertyString(*ps), "b=20,c=3");
}

}  // namespace
}  // namespace hainfra::pve
