// Calendar expressions of enforcement windows: a subset of systemd's OnCalendar syntax that describes
// spans of local time rather than instants (docs/enforcement.md):
//   [WEEKDAYS] [DATE] [TIMES]      e.g. "Mon..Fri *-*-* 08:00..18:00", "Sat,Sun", "*-12-24..31", "22:00..06:00"
//   WEEKDAYS  Mon..Sun names (or full names), comma lists and `..` ranges
//   DATE      YEAR-MONTH-DAY, each `*`, a number, a comma list or an `..` range
//   TIMES     HH:MM..HH:MM, comma lists; both ends inclusive to the minute; an end before the start wraps
//             past midnight (that part belongs to the day the span started)
#pragma once

#include <string>
#include <vector>

#include "engine/enforce/time_zone.h"
#include "hainfra/result.h"

namespace hainfra::enforce {

class Calendar {
 public:
  Calendar() = default;  // every moment

  // Errors name the offending token: "unknown weekday `Fro` in `Mon..Fro`".
  static Result<Calendar> Parse(const std::string& text);

  // Whether the local moment `now` lies inside.
  bool Contains(const LocalTime& now) const;

 private:
  struct Range { int first = 0, last = 0; };
  bool DayMatches(const LocalTime& day) const;

  unsigned weekdays_ = 0x7f;  // bit 0 Monday .. bit 6 Sunday
  std::vector<Range> years_, months_, days_;  // empty: any
  std::vector<Range> minutes_;                // minutes of the day; empty: the whole day
};

}  // namespace hainfra::enforce
