#include "hainfra/result.h"

#include <gtest/gtest.h>

#include "hainfra/location.h"
#include "hainfra/resource.h"
#include "hainfra/spec.h"

namespace hainfra {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Fail(Code::kInvalidArgument, std::to_string(n) + " is odd");
  return n / 2;
}

TEST(Result, CarriesTheValueOnSuccess) {
  auto r = Half(8);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 4);
}

TEST(Result, CarriesCodeAndMessageOnFailure) {
  auto r = Half(7);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().ToString(), "invalid_argument: 7 is odd");
}

TEST(Result, ContextIsPrefixedAndCodeKept) {
  Error e = WithContext(Error{Code::kUnavailable, "connection reset"}, "GET /nodes");
  EXPECT_EQ(e.code, Code::kUnavailable);
  EXPECT_EQ(e.message, "GET /nodes: connection reset");
}

TEST(Location, PrintsFileLineColumn) {
  Diagnostic d{Severity::kError, {"spec.yaml", 12, 5}, "vms[0].memroy", "unknown key `memroy`"};
  EXPECT_EQ(d.ToString(), "spec.yaml:12:5: error: unknown key `memroy`");
}

TEST(Address, ParsesKindSlashName) {
  auto a = ParseAddress("vm/100");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, "vm");
  EXPECT_EQ(a->name, "100");
  EXPECT_FALSE(ParseAddress("vm"));
  EXPECT_FALSE(ParseAddress("/100"));
  EXPECT_FALSE(ParseAddress("vm/"));
}

TEST(Resource, LocationOfFallsBackToTheNearestRecordedParent) {
  Resource r;
  r.where = {"a.yaml", 3, 3};
  r.locations["/disks"] = {"a.yaml", 7, 5};
  r.locations["/disks/0/size"] = {"a.yaml", 8, 15};
  EXPECT_EQ(r.LocationOf("/disks/0/size").line, 8);
  EXPECT_EQ(r.LocationOf("/disks/0/storage").line, 7);
  EXPECT_EQ(r.LocationOf("/cores").line, 3);
}

TEST(Spec, FindsObjectsByAddressAfterReindex) {
  Spec spec;
  spec.objects.push_back(Resource{{"vm", "100"}, Value::object(), false, {}, {}});
  spec.objects.push_back(Resource{{"node", "pve-01"}, Value::object(), false, {}, {}});
  spec.Reindex();
  ASSERT_NE(spec.Find({"node", "pve-01"}), nullptr);
  EXPECT_EQ(spec.Find({"vm", "101"}), nullptr);
  EXPECT_EQ(spec.OfKind("vm").size(), 1u);
}

}  // namespace
}  // namespace hainfra
