#include "engine/plan/field_diff.h"

#include <gtest/gtest.h>

#include "tests/testing/fake_kind.h"

namespace hainfra::plan {
namespace {

using testing::FakeBody;

std::vector<FieldChange> DiffOf(const Value& desired, const Value& observed) {
  std::vector<FieldChange> out;
  DiffFields(FakeBody(), desired, observed, /*creating=*/false, out);
  return out;
}

std::vector<std::string> Paths(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const FieldChange& c : changes) out.push_back(c.path);
  return out;
}

TEST(DiffFields, ComparesOnlyFieldsTheUserWrote) {
  // memory is declared but not written: the cluster's value is not managed.
  auto changes = DiffOf({{"cores", 4}}, {{"cores", 4}, {"memory", "8G"}});
  EXPECT_TRUE(changes.empty());
}

TEST(DiffFields, IgnoresKeysTheSpecDoesNotDeclare) {
  auto changes = DiffOf({{"cores", 4}, {"lock", "backup"}}, {{"cores", 4}, {"lock", "migrate"}, {"digest", "ab"}});
  EXPECT_TRUE(changes.empty());
}

TEST(DiffFields, NeverComparesUnmanagedFields) {
  auto changes = DiffOf({{"description", "mine"}}, {{"description", "theirs"}});
  EXPECT_TRUE(changes.empty());
}

TEST(DiffFields, ReportsAChangedScalarWithBeforeAndAfter) {
  auto changes = DiffOf({{"cores", 8}}, {{"cores", 4}});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "cores");
  EXPECT_EQ(changes[0].pointer, "/cores");
  EXPECT_EQ(changes[0].before, 4);
  EXPECT_EQ(changes[0].after, 8);
  EXPECT_FALSE(changes[0].force_new);
}

TEST(DiffFields, ComparesSizesInBytes) {
  EXPECT_TRUE(DiffOf({{"memory", "32G"}}, {{"memory", "32768M"}}).empty());
  EXPECT_EQ(Paths(DiffOf({{"memory", "32G"}}, {{"memory", "16G"}})), std::vector<std::string>{"memory"});
}

TEST(DiffFields, ComparesNumbersAndBooleansByValueNotSpelling) {
  EXPECT_TRUE(DiffOf({{"cores", 4}}, {{"cores", "4"}}).empty());
  EXPECT_TRUE(DiffOf({{"onboot", true}}, {{"onboot", 1}}).empty());
  EXPECT_TRUE(DiffOf({{"onboot", false}}, {{"onboot", "0"}}).empty());
  EXPECT_EQ(DiffOf({{"onboot", true}}, {{"onboot", 0}}).size(), 1u);
}

TEST(DiffFields, AMissingFieldIsAnAddition) {
  auto changes = DiffOf({{"cores", 2}}, Value::object());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].before.is_null());
  EXPECT_EQ(changes[0].after, 2);
}

TEST(DiffFields, KeyedListsMatchEntriesByKeyNotPosition) {
  Value desired = {{"disks", {{{"slot", "scsi0"}, {"size", "32G"}}, {{"slot", "scsi1"}, {"size", "8G"}}}}};
  Value observed = {{"disks", {{{"slot", "scsi1"}, {"size", "8G"}}, {{"slot", "scsi0"}, {"size", "32768M"}}}}};
  EXPECT_TRUE(DiffOf(desired, observed).empty());
}

TEST(DiffFields, KeyedListEntriesMissingOnOneSideAreAddedOrRemoved) {
  Value desired = {{"disks", {{{"slot", "scsi0"}, {"size", "64G"}}, {{"slot", "scsi2"}, {"size", "8G"}}}}};
  Value observed = {{"disks", {{{"slot", "scsi0"}, {"size", "32G"}}, {{"slot", "scsi1"}, {"size", "8G"}}}}};
  auto changes = DiffOf(desired, observed);
  ASSERT_EQ(Paths(changes), (std::vector<std::string>{"disks[scsi0].size", "disks[scsi2]", "disks[scsi1]"}));
  EXPECT_EQ(changes[0].pointer, "/disks/0/size");
  EXPECT_EQ(changes[0].before, "32G");
  EXPECT_EQ(changes[0].after, "64G");
  EXPECT_TRUE(changes[1].before.is_null());
  EXPECT_EQ(changes[1].after["slot"], "scsi2");
  EXPECT_EQ(changes[2].before["slot"], "scsi1");
  EXPECT_TRUE(changes[2].after.is_null());
}

TEST(DiffFields, KeyedListEntriesCompareOnlyWrittenKeys) {
  Value desired = {{"disks", {{{"slot", "scsi0"}, {"size", "32G"}}}}};
  Value observed = {{"disks", {{{"slot", "scsi0"}, {"size", "32G"}, {"storage", "ceph-vm"}, {"iothread", 1}}}}};
  EXPECT_TRUE(DiffOf(desired, observed).empty());
}

TEST(DiffFields, SetListsCompareWithoutOrder) {
  EXPECT_TRUE(DiffOf({{"tags", {"a", "b"}}}, {{"tags", {"b", "a"}}}).empty());
  auto changes = DiffOf({{"tags", {"a", "b"}}}, {{"tags", {"b", "c"}}});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "tags");
  EXPECT_EQ(changes[0].after, Value({"a", "b"}));
}

TEST(DiffFields, SetListsAreOwnedWhole) {
  EXPECT_EQ(DiffOf({{"tags", {"a"}}}, {{"tags", {"a", "extra"}}}).size(), 1u);
}

TEST(DiffFields, OrderedListsCompareInOrder) {
  EXPECT_TRUE(DiffOf({{"boot", {"scsi0", "net0"}}}, {{"boot", {"scsi0", "net0"}}}).empty());
  EXPECT_EQ(DiffOf({{"boot", {"scsi0", "net0"}}}, {{"boot", {"net0", "scsi0"}}}).size(), 1u);
}

TEST(DiffFields, WholeMapsReportAddedChangedAndRemovedKeys) {
  Value desired = {{"options", {{"a", "1"}, {"b", "2"}}}};
  Value observed = {{"options", {{"b", "3"}, {"c", "4"}}}};
  EXPECT_EQ(Paths(DiffOf(desired, observed)),
            (std::vector<std::string>{"options[a]", "options[b]", "options[c]"}));
}

TEST(DiffFields, PartialMapsIgnoreUnwrittenKeys) {
  FieldSpec body = FakeBody();
  for (FieldSpec& f : body.fields) {
    if (f.name == "options") f.whole = false;
  }
  std::vector<FieldChange> out;
  DiffFields(body, {{"options", {{"a", "1"}}}}, {{"options", {{"a", "1"}, {"c", "4"}}}}, false, out);
  EXPECT_TRUE(out.empty());
}

TEST(DiffFields, NestedObjectsCompareDeclaredWrittenKeys) {
  auto changes = DiffOf({{"api", {{"endpoint", "https://b"}}}}, {{"api", {{"endpoint", "https://a"}, {"x", 1}}}});
  ASSERT_EQ(Paths(changes), std::vector<std::string>{"api.endpoint"});
  EXPECT_EQ(changes[0].pointer, "/api/endpoint");
}

TEST(DiffFields, ForceNewAndRebootFlagsFollowTheSpec) {
  auto changes = DiffOf({{"vmid", 101}, {"onboot", true}}, {{"vmid", 100}, {"onboot", false}});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(changes[0].force_new);
  EXPECT_TRUE(changes[1].reboot);
}

TEST(DiffFields, SecretsAreMaskedInFieldChanges) {
  auto changes = DiffOf({{"password", "new-s3cret"}, {"api", {{"token", "tok-1"}}}},
                        {{"password", "old-s3cret"}, {"api", {{"token", "tok-0"}}}});
  ASSERT_EQ(changes.size(), 2u);
  for (const FieldChange& c : changes) {
    EXPECT_TRUE(c.secret);
    EXPECT_EQ(c.before, "(sensitive)");
    EXPECT_EQ(c.after, "(sensitive)");
  }
}

TEST(DiffFields, SecretsTheClusterDoesNotReportAreNotDrift) {
  EXPECT_TRUE(DiffOf({{"password", "s3cret"}}, Value::object()).empty());
}

TEST(DiffFields, CreatingReportsEveryWrittenFieldWithSecretsMasked) {
  std::vector<FieldChange> out;
  DiffFields(FakeBody(), {{"cores", 2}, {"password", "s3cret"}, {"api", {{"token", "t"}, {"endpoint", "e"}}}},
             Value::object(), /*creating=*/true, out);
  ASSERT_EQ(Paths(out), (std::vector<std::string>{"cores", "password", "api"}));
  EXPECT_EQ(out[1].after, "(sensitive)");
  EXPECT_EQ(out[2].after, Value({{"endpoint", "e"}, {"token", "(sensitive)"}}));
}

}  // namespace
}  // namespace hainfra::plan
