#include "engine/enforce/calendar.h"

#include <gtest/gtest.h>

namespace hainfra::enforce {
namespace {

// A local moment: 2026-03-<day> (the 23rd is a Monday) at hh:mm.
LocalTime CalMarch(int day, int hh, int mm) {
  LocalTime t = LocalDay(20512 + day);  // 20513 is 2026-03-01
  t.minute = hh * 60 + mm;
  return t;
}

Calendar CalParsed(const std::string& text) {
  Result<Calendar> c = Calendar::Parse(text);
  EXPECT_TRUE(c) << text << ": " << c.error().message;
  return c ? *c : Calendar();
}

std::string CalErrorOf(const std::string& text) {
  Result<Calendar> c = Calendar::Parse(text);
  return c ? "(parsed)" : c.error().message;
}

TEST(Calendar, WeekdayRangeAndOfficeHours) {
  ASSERT_EQ(CalMarch(23, 0, 0).weekday, 0);  // the helper's Monday
  Calendar office = CalParsed("Mon..Fri *-*-* 08:00..18:00");
  EXPECT_TRUE(office.Contains(CalMarch(23, 8, 0)));
  EXPECT_TRUE(office.Contains(CalMarch(27, 18, 0)));  // the end minute is inside
  EXPECT_FALSE(office.Contains(CalMarch(27, 18, 1)));
  EXPECT_FALSE(office.Contains(CalMarch(23, 7, 59)));
  EXPECT_FALSE(office.Contains(CalMarch(28, 10, 0)));  // Saturday
}

TEST(Calendar, WeekdayListsFullNamesAndWrappingRanges) {
  Calendar weekend = CalParsed("Sat,sunday");
  EXPECT_TRUE(weekend.Contains(CalMarch(28, 0, 0)));
  EXPECT_TRUE(weekend.Contains(CalMarch(29, 23, 59)));
  EXPECT_FALSE(weekend.Contains(CalMarch(27, 12, 0)));
  Calendar long_weekend = CalParsed("Fri..Mon");
  EXPECT_TRUE(long_weekend.Contains(CalMarch(23, 12, 0)));
  EXPECT_TRUE(long_weekend.Contains(CalMarch(27, 12, 0)));
  EXPECT_FALSE(long_weekend.Contains(CalMarch(24, 12, 0)));
}

TEST(Calendar, DatePatternsWithStarsListsAndRanges) {
  Calendar christmas = CalParsed("*-12-24..26");
  LocalTime eve = LocalDay(20811);  // 2026-12-24
  ASSERT_EQ(eve.day, 24);
  EXPECT_TRUE(christmas.Contains(eve));
  EXPECT_FALSE(christmas.Contains(LocalDay(20811 + 3)));
  Calendar firsts = CalParsed("2026-*-01,15");
  EXPECT_TRUE(firsts.Contains(CalMarch(1, 9, 0)));
  EXPECT_TRUE(firsts.Contains(CalMarch(15, 9, 0)));
  EXPECT_FALSE(firsts.Contains(CalMarch(2, 9, 0)));
  EXPECT_FALSE(firsts.Contains(LocalDay(20513 + 365)));  // 2027-03-01
}

TEST(Calendar, TimeSpansListAndWrapPastMidnight) {
  Calendar split = CalParsed("08:00..12:00,13:00..17:00");
  EXPECT_TRUE(split.Contains(CalMarch(24, 9, 0)));
  EXPECT_FALSE(split.Contains(CalMarch(24, 12, 30)));
  EXPECT_TRUE(split.Contains(CalMarch(24, 16, 0)));
  // Friday nights: Friday 22:00 to Saturday 06:00 belongs to Friday.
  Calendar nights = CalParsed("Fri 22:00..06:00");
  EXPECT_TRUE(nights.Contains(CalMarch(27, 23, 0)));
  EXPECT_TRUE(nights.Contains(CalMarch(28, 5, 59)));
  EXPECT_FALSE(nights.Contains(CalMarch(28, 23, 0)));  // Saturday night
  EXPECT_FALSE(nights.Contains(CalMarch(27, 5, 0)));   // Friday morning belongs to Thursday
}

TEST(Calendar, BadExpressionsNameTheOffendingToken) {
  EXPECT_EQ(CalErrorOf("Mon..Fro 08:00..18:00"),
            "bad calendar `Mon..Fro 08:00..18:00`: unknown weekday `Fro` in `Mon..Fro` (Mon, Tue, ... Sun)");
  EXPECT_EQ(CalErrorOf("Mon *-13-* 08:00..18:00"), "bad calendar `Mon *-13-* 08:00..18:00`: bad month `13` in `*-13-*` (1..12)");
  EXPECT_EQ(CalErrorOf("08:00..25:00"),
            "bad calendar `08:00..25:00`: bad time span `08:00..25:00` in `08:00..25:00` (HH:MM..HH:MM, 00:00 to 23:59)");
  EXPECT_EQ(CalErrorOf("08:00"), "bad calendar `08:00`: `08:00` in `08:00`: a window needs a span of time, HH:MM..HH:MM");
  EXPECT_EQ(CalErrorOf("08:00..18:00 Mon"),
            "bad calendar `08:00..18:00 Mon`: `Mon`: weekdays, date and times come once each, in this order");
  EXPECT_EQ(CalErrorOf("*-*"), "bad calendar `*-*`: `*-*`: a date is YEAR-MONTH-DAY (`*` for any)");
  EXPECT_EQ(CalErrorOf("*"), "bad calendar `*`: `*` is neither weekdays, a date (YYYY-MM-DD) nor times (HH:MM..HH:MM)");
  EXPECT_EQ(CalErrorOf(""), "bad calendar ``: empty (write weekdays, a date and/or times, e.g. `Mon..Fri 08:00..18:00`)");
  EXPECT_EQ(CalErrorOf("*-*-5..1"), "bad calendar `*-*-5..1`: bad day `5..1` in `*-*-5..1` (1..31)");
}

}  // namespace
}  // namespace hainfra::enforce
