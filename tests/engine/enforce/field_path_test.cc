#include "engine/enforce/field_path.h"

#include <gtest/gtest.h>

#include "schemas/sections.h"

namespace hainfra::enforce {
namespace {

TEST(Glob, StarMatchesAnyRunAndQuestionMarkOneCharacter) {
  EXPECT_TRUE(GlobMatch("web-*", "web-01"));
  EXPECT_TRUE(GlobMatch("web-*", "web-"));
  EXPECT_FALSE(GlobMatch("web-*", "db-01"));
  EXPECT_TRUE(GlobMatch("*-0?", "web-01"));
  EXPECT_FALSE(GlobMatch("*-0?", "web-010"));
  EXPECT_TRUE(GlobMatch("vm/*", "vm/100"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYbc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
}

TEST(Glob, EverythingElseIsLiteral) {
  EXPECT_FALSE(GlobMatch("web.01", "webx01"));
  EXPECT_TRUE(GlobMatch("[net0]", "[net0]"));
  EXPECT_FALSE(GlobMatch("Web-*", "web-01"));
}

TEST(FieldPath, APatternCoversTheSameFieldAndEverythingBelowIt) {
  EXPECT_TRUE(FieldPathMatches("memory", "memory"));
  EXPECT_FALSE(FieldPathMatches("memory", "memory_hotplug"));
  EXPECT_TRUE(FieldPathMatches("nets", "nets[net0].macaddr"));
  EXPECT_TRUE(FieldPathMatches("startup", "startup.order"));
  EXPECT_FALSE(FieldPathMatches("startup.order", "startup"));
}

TEST(FieldPath, StarInBracketsMatchesAnyKeyButNotTheWholeEntry) {
  EXPECT_TRUE(FieldPathMatches("nets[*].macaddr", "nets[net0].macaddr"));
  EXPECT_TRUE(FieldPathMatches("nets[*].macaddr", "nets[net1].macaddr"));
  EXPECT_FALSE(FieldPathMatches("nets[*].macaddr", "nets[net1].bridge"));
  EXPECT_FALSE(FieldPathMatches("nets[*].macaddr", "nets[net1]"));  // adding a NIC is not ignored
  EXPECT_TRUE(FieldPathMatches("disks[scsi0].size", "disks[scsi0].size"));
  EXPECT_FALSE(FieldPathMatches("disks[scsi0].size", "disks[scsi1].size"));
  EXPECT_TRUE(FieldPathMatches("disks[scsi*]", "disks[scsi3].size"));
}

TEST(FieldPath, MalformedPathsAreRefusedWithTheReason) {
  std::vector<PathSegment> segments;
  std::string error;
  EXPECT_FALSE(SplitFieldPath("nets[*.macaddr", segments, error));
  EXPECT_EQ(error, "`[` without `]`");
  EXPECT_FALSE(SplitFieldPath("nets[]", segments, error));
  EXPECT_EQ(error, "empty `[]`");
  EXPECT_FALSE(SplitFieldPath("[net0]", segments, error));
  EXPECT_FALSE(SplitFieldPath("memory.", segments, error));
  EXPECT_FALSE(SplitFieldPath("mem*", segments, error));
  EXPECT_EQ(error, "unexpected `*` in field name `mem*` (globs go in brackets)");
  ASSERT_TRUE(SplitFieldPath("disks[scsi0].size", segments, error));
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[1].text, "scsi0");
  EXPECT_TRUE(segments[1].key);
}

TEST(FieldPath, IsCheckedAgainstTheKindsFields) {
  const FieldSpec& vm = schemas::FindSection("vm")->item;
  EXPECT_EQ(CheckFieldPath("memory", vm), "");
  EXPECT_EQ(CheckFieldPath("nets[*].macaddr", vm), "");
  EXPECT_EQ(CheckFieldPath("disks[scsi0].size", vm), "");
  EXPECT_EQ(CheckFieldPath("memroy", vm), "unknown field `memroy` — did you mean `memory`?");
  EXPECT_EQ(CheckFieldPath("nets[*].mac", vm).rfind("unknown field `mac` in `nets[*]`", 0), 0u);
  EXPECT_EQ(CheckFieldPath("memory[x]", vm), "`memory` has no entries by key (only keyed lists and maps take `[...]`)");
  EXPECT_EQ(CheckFieldPath("tags[k8s]", vm), "`tags` has no entries by key (only keyed lists and maps take `[...]`)");
  EXPECT_EQ(CheckFieldPath("cores.x", vm), "`cores` has no fields (`x`)");
}

}  // namespace
}  // namespace hainfra::enforce
