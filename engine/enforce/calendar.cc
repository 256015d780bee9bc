#include "engine/enforce/calendar.h"

#include <array>
#include <cctype>
#include <sstream>

namespace hainfra::enforce {
namespace {

std::vector<std::string> CalSplit(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) out.push_back(part);
  if (!text.empty() && text.back() == sep) out.push_back("");
  return out;
}

bool CalNumber(const std::string& text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  out = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

int CalWeekday(std::string name) {
  static constexpr std::array<const char*, 7> kShort = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static constexpr std::array<const char*, 7> kLong = {"monday", "tuesday", "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i) {
    if (name == kShort[i] || name == kLong[i]) return i;
  }
  return -1;
}

// "a..b" or "a" -> the two halves (equal for a single value).
std::pair<std::string, std::string> CalRangeHalves(const std::string& item) {
  const size_t dots = item.find("..");
  if (dots == std::string::npos) return {item, item};
  return {item.substr(0, dots), item.substr(dots + 2)};
}

// HH:MM -> minute of the day.
bool CalClock(const std::string& text, int& minute) {
  const size_t colon = text.find(':');
  int h = 0, m = 0;
  if (colon == std::string::npos || colon == 0 || colon + 3 != text.size() || !CalNumber(text.substr(0, colon), h) ||
      !CalNumber(text.substr(colon + 1), m) || colon > 2 || h > 23 || m > 59) {
    return false;
  }
  minute = h * 60 + m;
  return true;
}

}  // namespace

Result<Calendar> Calendar::Parse(const std::string& text) {
  Calendar cal;
  auto bad = [&](const std::string& why) {
    return Fail(Code::kInvalidArgument, "bad calendar `" + text + "`: " + why);
  };
  std::istringstream words(text);
  std::string token;
  int stage = 0;  // 1 weekdays, 2 date, 3 times: each at most once, in this order
  bool any = false;
  while (words >> token) {
    any = true;
    const bool is_time = token.find(':') != std::string::npos;
    const bool is_weekday = std::isalpha(static_cast<unsigned char>(token[0])) != 0;
    const bool is_date = !is_time && !is_weekday && token.find('-') != std::string::npos;
    const int kind = is_time ? 3 : is_weekday ? 1 : is_date ? 2 : 0;
    if (kind == 0) return bad("`" + token + "` is neither weekdays, a date (YYYY-MM-DD) nor times (HH:MM..HH:MM)");
    if (kind <= stage) {
      return bad("`" + token + "`: weekdays, date and times come once each, in this order");
    }
    stage = kind;
    if (kind == 1) {
      cal.weekdays_ = 0;
      for (const std::string& item : CalSplit(token, ',')) {
        const auto [a, b] = CalRangeHalves(item);
        const int first = CalWeekday(a), last = CalWeekday(b);
        if (first < 0 || last < 0) {
          return bad("unknown weekday `" + (first < 0 ? a : b) + "` in `" + token + "` (Mon, Tue, ... Sun)");
        }
        for (int d = first;; d = (d + 1) % 7) {  // Fri..Mon wraps over the weekend
          cal.weekdays_ |= 1u << d;
          if (d == last) break;
        }
      }
    } else if (kind == 2) {
      const std::vector<std::string> parts = CalSplit(token, '-');
      if (parts.size() != 3) return bad("`" + token + "`: a date is YEAR-MONTH-DAY (`*` for any)");
      static constexpr std::array<std::pair<int, int>, 3> kBounds = {{{1970, 9999}, {1, 12}, {1, 31}}};
      static constexpr std::array<const char*, 3> kWhat = {"year", "month", "day"};
      std::vector<Range>* into[3] = {&cal.years_, &cal.months_, &cal.days_};
      for (int p = 0; p < 3; ++p) {
        if (parts[p] == "*") continue;
        for (const std::string& item : CalSplit(parts[p], ',')) {
          const auto [a, b] = CalRangeHalves(item);
          Range r;
          if (!CalNumber(a, r.first) || !CalNumber(b, r.last) || r.first < kBounds[p].first ||
              r.last > kBounds[p].second || r.first > r.last) {
            return bad(std::string("bad ") + kWhat[p] + " `" + item + "` in `" + token + "` (" +
                       std::to_string(kBounds[p].first) + ".." + std::to_string(kBounds[p].second) + ")");
          }
          into[p]->push_back(r);
        }
      }
    } else {
      for (const std::string& item : CalSplit(token, ',')) {
        const size_t dots = item.find("..");
        Range r;
        if (dots == std::string::npos) {
          return bad("`" + item + "` in `" + token + "`: a window needs a span of time, HH:MM..HH:MM");
        }
        if (!CalClock(item.substr(0, dots), r.first) || !CalClock(item.substr(dots + 2), r.last)) {
          return bad("bad time span `" + item + "` in `" + token + "` (HH:MM..HH:MM, 00:00 to 23:59)");
        }
        cal.minutes_.push_back(r);
      }
    }
  }
  if (!any) return bad("empty (write weekdays, a date and/or times, e.g. `Mon..Fri 08:00..18:00`)");
  return cal;
}

bool Calendar::DayMatches(const LocalTime& day) const {
  auto in = [](const std::vector<Range>& ranges, int v) {
    if (ranges.empty()) return true;
    for (const Range& r : ranges) {
      if (v >= r.first && v <= r.last) return true;
    }
    return false;
  };
  return (weekdays_ & (1u << day.weekday)) != 0 && in(years_, day.year) && in(months_, day.month) &&
         in(days_, day.day);
}

bool Calendar::Contains(const LocalTime& now) const {
  if (minutes_.empty()) return DayMatches(now);
  for (const Range& r : minutes_) {
    if (r.first <= r.last) {
      if (now.minute >= r.first && now.minute <= r.last && DayMatches(now)) return true;
    } else {  // wraps past midnight: the evening of a matching day, or the morning after one
      if (now.minute >= r.first && DayMatches(now)) return true;
      if (now.minute <= r.last && DayMatches(LocalDay(now.days - 1))) return true;
    }
  }
  return false;
}

}  // namespace hainfra::enforce
