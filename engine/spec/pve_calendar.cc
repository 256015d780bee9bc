#include "engine/spec/pve_calendar.h"

#include <array>
#include <cctype>
#include <vector>

namespace hainfra::spec {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t from = 0;
  while (true) {
    const size_t at = s.find(sep, from);
    parts.push_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) return parts;
    from = at + 1;
  }
}

bool IsWeekday(std::string_view word) {
  static const std::array<const char*, 14> kNames = {"mon",    "tue",     "wed",       "thu",      "fri",
                                                     "sat",    "sun",     "monday",    "tuesday",  "wednesday",
                                                     "thursday", "friday", "saturday", "sunday"};
  const std::string lower = Lower(word);
  for (const char* name : kNames) {
    if (lower == name) return true;
  }
  return false;
}

// mon | mon..fri, comma-separated. Weekday ranges wrap (sat..mon is sat, sun, mon).
std::string WeekdaysProblem(std::string_view token) {
  for (std::string_view item : SplitOn(token, ',')) {
    const size_t dots = item.find("..");
    for (std::string_view day : {item.substr(0, dots), dots == std::string_view::npos ? item : item.substr(dots + 2)}) {
      if (!IsWeekday(day)) return "unknown weekday `" + std::string(day) + "` (mon, tue, ... sun)";
    }
  }
  return "";
}

struct Unit {
  const char* name;
  int first;
  int last;
};

constexpr Unit kYear{"year", 1970, 9999};
constexpr Unit kMonth{"month", 1, 12};
constexpr Unit kDay{"day", 1, 31};
constexpr Unit kHour{"hour", 0, 23};
constexpr Unit kMinute{"minute", 0, 59};
constexpr Unit kSecond{"second", 0, 59};

std::string NumberProblem(std::string_view digits, const Unit& unit, int& value) {
  if (digits.empty() || digits.size() > 4) return "`" + std::string(digits) + "` is not a " + unit.name;
  value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "`" + std::string(digits) + "` is not a " + unit.name;
    value = value * 10 + (c - '0');
  }
  if (value < unit.first || value > unit.last) {
    return std::string(unit.name) + " " + std::string(digits) + " is out of range " + std::to_string(unit.first) +
           ".." + std::to_string(unit.last);
  }
  return "";
}

// One value list: `*`, `*/R`, `N`, `N..M`, `N/R`, `N..M/R`, comma-separated.
std::string ComponentProblem(std::string_view token, const Unit& unit) {
  for (std::string_view item : SplitOn(token, ',')) {
    const size_t slash = item.find('/');
    const std::string_view base = item.substr(0, slash);
    if (slash != std::string_view::npos) {
      const std::string_view step = item.substr(slash + 1);
      bool digits = !step.empty() && step.size() <= 4;
      for (char c : step) digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
      if (!digits) return "repetition `/" + std::string(step) + "` is not a number";
      if (step.find_first_not_of('0') == std::string_view::npos) return "a repetition of 0 never advances";
    }
    if (base == "*") continue;
    const size_t dots = base.find("..");
    int first = 0;
    std::string problem = NumberProblem(base.substr(0, dots), unit, first);
    if (!problem.empty()) return problem;
    if (dots != std::string_view::npos) {
      int last = 0;
      problem = NumberProblem(base.substr(dots + 2), unit, last);
      if (!problem.empty()) return problem;
      if (first > last) return std::string(unit.name) + " range " + std::string(base) + " starts after it ends";
    }
  }
  return "";
}

// [YEARS-]MONTHS-DAYS
std::string DateProblem(std::string_view token) {
  const std::vector<std::string_view> parts = SplitOn(token, '-');
  if (parts.size() > 3) return "date `" + std::string(token) + "` has more than year, month and day";
  const std::array<Unit, 3> units = parts.size() == 3 ? std::array<Unit, 3>{kYear, kMonth, kDay}
                                                      : std::array<Unit, 3>{kMonth, kDay, kDay};
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string problem = ComponentProblem(parts[i], units[i]);
    if (!problem.empty()) return problem;
  }
  return "";
}

// [HOURS:]MINUTES[:SECONDS]
std::string TimeProblem(std::string_view token) {
  const std::vector<std::string_view> parts = SplitOn(token, ':');
  if (parts.size() > 3) return "time `" + std::string(token) + "` has more than hours, minutes and seconds";
  const std::array<Unit, 3> units = parts.size() == 1 ? std::array<Unit, 3>{kMinute, kMinute, kMinute}
                                                      : std::array<Unit, 3>{kHour, kMinute, kSecond};
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string problem = ComponentProblem(parts[i], units[i]);
    if (!problem.empty()) return problem;
  }
  return "";
}

bool IsNamedEvent(std::string_view text) {
  static const std::array<const char*, 10> kNamed = {"minutely", "hourly",   "daily",     "weekly",       "monthly",
                                                     "yearly",   "annually", "quarterly", "semiannually", "semi-annually"};
  for (const char* name : kNamed) {
    if (text == name) return true;
  }
  return false;
}

}  // namespace

std::string CalendarEventProblem(std::string_view text) {
  std::vector<std::string_view> tokens;
  for (std::string_view token : SplitOn(text, ' ')) {
    if (!token.empty()) tokens.push_back(token);
  }
  if (tokens.empty()) return "an empty schedule";
  if (tokens.size() == 1 && IsNamedEvent(tokens[0])) return "";
  size_t next = 0;
  if (std::isalpha(static_cast<unsigned char>(tokens[0][0])) != 0) {
    std::string problem = WeekdaysProblem(tokens[0]);
    if (!problem.empty()) return problem;
    ++next;
  }
  // A date has dashes, a time has colons or stands alone last (minutes only: `*/15`).
  if (next < tokens.size() && tokens[next].find('-') != std::string_view::npos &&
      tokens[next].find(':') == std::string_view::npos) {
    std::string problem = DateProblem(tokens[next]);
    if (!problem.empty()) return problem;
    ++next;
  }
  if (next < tokens.size()) {
    std::string problem = TimeProblem(tokens[next]);
    if (!problem.empty()) return problem;
    ++next;
  }
  if (next < tokens.size()) {
    return "unexpected `" + std::string(tokens[next]) + "` after the time (the order is weekdays, date, time)";
  }
  return "";
}

}  // namespace hainfra::spec
