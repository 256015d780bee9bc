#include "engine/enforce/time_zone.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace hainfra::enforce {
namespace {

// 2026-03-29 01:00 UTC: Europe/Berlin springs from 02:00 CET to 03:00 CEST; 2026-10-25 01:00 UTC it falls back.
constexpr int64_t kTzSpring2026 = 1774746000;
constexpr int64_t kTzAutumn2026 = 1792890000;

bool TzHaveZoneinfo() { return std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin"); }

TEST(LocalDay, CountsDaysFromTheEpochWithWeekdays) {
  LocalTime epoch = LocalDay(0);
  EXPECT_EQ(epoch.year, 1970);
  EXPECT_EQ(epoch.month, 1);
  EXPECT_EQ(epoch.day, 1);
  EXPECT_EQ(epoch.weekday, 3);  // Thursday
  LocalTime d = LocalDay(20541);  // 2026-03-29, a Sunday
  EXPECT_EQ(d.year, 2026);
  EXPECT_EQ(d.month, 3);
  EXPECT_EQ(d.day, 29);
  EXPECT_EQ(d.weekday, 6);
  LocalTime feb29 = LocalDay(11016);  // 2000-02-29, a Tuesday
  EXPECT_EQ(feb29.month, 2);
  EXPECT_EQ(feb29.day, 29);
  EXPECT_EQ(feb29.weekday, 1);
}

TEST(TimeZone, TheDefaultIsUtc) {
  TimeZone utc;
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.OffsetAt(kTzSpring2026), 0);
  LocalTime t = utc.ToLocal(kTzSpring2026);
  EXPECT_EQ(t.minute, 60);
}

TEST(TimeZone, BerlinChangesItsOffsetAtTheDstTransitions) {
  if (!TzHaveZoneinfo()) GTEST_SKIP() << "no /usr/share/zoneinfo";
  Result<TimeZone> berlin = TimeZone::Load("Europe/Berlin");
  ASSERT_TRUE(berlin) << berlin.error().message;
  EXPECT_EQ(berlin->OffsetAt(kTzSpring2026 - 1), 3600);
  EXPECT_EQ(berlin->OffsetAt(kTzSpring2026), 7200);
  EXPECT_EQ(berlin->OffsetAt(kTzAutumn2026 - 1), 7200);
  EXPECT_EQ(berlin->OffsetAt(kTzAutumn2026), 3600);
  LocalTime before = berlin->ToLocal(kTzSpring2026 - 60);
  EXPECT_EQ(before.minute, 1 * 60 + 59);  // 01:59 CET
  LocalTime after = berlin->ToLocal(kTzSpring2026);
  EXPECT_EQ(after.minute, 3 * 60);        // 03:00 CEST
  EXPECT_EQ(after.day, 29);
}

TEST(TimeZone, ThePosixRuleAgreesWithTheTransitionsItExtends) {
  if (!TzHaveZoneinfo()) GTEST_SKIP() << "no /usr/share/zoneinfo";
  Result<TimeZone> berlin = TimeZone::Load("Europe/Berlin");
  ASSERT_TRUE(berlin);
  Result<TimeZone::Rule> rule = ParsePosixRule("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(rule) << rule.error().message;
  EXPECT_EQ(rule->std_offset, 3600);
  EXPECT_EQ(rule->dst_offset, 7200);
  EXPECT_EQ(rule->start.month, 3);
  EXPECT_EQ(rule->end.time, 3 * 3600);
  // A year far past any file's transitions is computed from the rule: 2100-03-28 is the last March Sunday.
  constexpr int64_t kSpring2100 = 4109878800;  // 2100-03-28 01:00 UTC
  EXPECT_EQ(berlin->OffsetAt(kSpring2100 - 1), 3600);
  EXPECT_EQ(berlin->OffsetAt(kSpring2100), 7200);
}

TEST(TimeZone, PosixRulesWithoutDstAndWithOddNamesParse) {
  Result<TimeZone::Rule> tokyo = ParsePosixRule("JST-9");
  ASSERT_TRUE(tokyo);
  EXPECT_FALSE(tokyo->has_dst);
  EXPECT_EQ(tokyo->std_offset, 9 * 3600);
  Result<TimeZone::Rule> numeric = ParsePosixRule("<+0330>-3:30");
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->std_offset, 3 * 3600 + 1800);
  EXPECT_FALSE(ParsePosixRule("CET-1CEST,J60,J300"));  // day-of-year rules are not supported
  EXPECT_FALSE(ParsePosixRule("1"));
}

TEST(TimeZone, UnknownAndUnsafeNamesAreRefused) {
  Result<TimeZone> none = TimeZone::Load("Europe/Berlim");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kNotFound);
  EXPECT_NE(none.error().message.find("unknown time zone `Europe/Berlim`"), std::string::npos);
  Result<TimeZone> escape = TimeZone::Load("../../etc/passwd");
  ASSERT_FALSE(escape);
  EXPECT_EQ(escape.error().code, Code::kInvalidArgument);
  EXPECT_FALSE(TimeZone::Load("/etc/localtime"));
}

TEST(TimeZone, ATruncatedFileIsRefused) {
  EXPECT_FALSE(ParseTzif("X", "TZif2"));
  EXPECT_FALSE(ParseTzif("X", std::string(60, 'x')));
}

}  // namespace
}  // namespace hainfra::enforce
