#include "cli/enforce_time.h"

#include <cctype>
#include <ctime>

#include "engine/report/run_report.h"

namespace hainfra::cli {
namespace {

// Reads `digits` decimal digits at `at`; -1 when they are not all digits.
int EnforceTimeDigits(std::string_view text, size_t at, size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  const std::string shown(text);
  if (text.empty()) return Fail(Code::kInvalidArgument, "expected a duration such as 30s, 15m, 1h or 1h30m, got ''");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    int64_t number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 100'000'000) {
        return Fail(Code::kInvalidArgument, "duration '" + shown + "' is too long");
      }
      ++i;
    }
    if (i == start) {
      return Fail(Code::kInvalidArgument, "expected a duration such as 30s, 15m, 1h or 1h30m, got '" + shown + "'");
    }
    int64_t unit = 1;  // a bare number is seconds
    if (i < text.size()) {
      switch (text[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default:
          return Fail(Code::kInvalidArgument, "duration '" + shown + "': unknown unit '" + std::string(1, text[i]) +
                                                  "' (use s, m, h or d)");
      }
      ++i;
    } else if (start != 0) {
      return Fail(Code::kInvalidArgument, "duration '" + shown + "': the last number has no unit (s, m, h or d)");
    }
    total += number * unit;
  }
  if (total <= 0) return Fail(Code::kInvalidArgument, "duration '" + shown + "' must be longer than zero");
  return std::chrono::seconds(total);
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  const std::string shown(text);
  auto bad = [&] {
    return Fail(Code::kInvalidArgument,
                "expected an RFC 3339 time such as 2026-12-24T08:00:00Z or 2026-12-24T08:00:00+01:00, got '" + shown +
                    "'");
  };
  if (text.size() < 20) return bad();
  const int year = EnforceTimeDigits(text, 0, 4), month = EnforceTimeDigits(text, 5, 2),
            day = EnforceTimeDigits(text, 8, 2), hour = EnforceTimeDigits(text, 11, 2),
            minute = EnforceTimeDigits(text, 14, 2), second = EnforceTimeDigits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return bad();
  }
  size_t i = 19;
  if (text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  int64_t offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int oh = EnforceTimeDigits(text, i + 1, 2), om = EnforceTimeDigits(text, i + 4, 2);
    if (oh < 0 || om < 0 || i + 3 >= text.size() || text[i + 3] != ':') return bad();
    offset = (text[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return bad();
  }
  if (i != text.size()) return bad();
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

Result<int64_t> ParseUntil(std::string_view text, int64_t now) {
  if (Result<std::chrono::seconds> duration = ParseDuration(text)) return now + duration->count();
  Result<int64_t> at = ParseRfc3339(text);
  if (!at) {
    return Fail(Code::kInvalidArgument, "--until: expected a duration (2h, 30m) or an RFC 3339 time "
                                        "(2026-12-24T08:00:00Z), got '" + std::string(text) + "'");
  }
  if (*at <= now) {
    return Fail(Code::kInvalidArgument, "--until " + std::string(text) + " lies in the past (now is " +
                                            FormatRfc3339(now) + ")");
  }
  return *at;
}

std::string FormatRfc3339(int64_t unix_seconds) { return report::Rfc3339(unix_seconds); }

std::string FormatDuration(std::chrono::seconds duration) {
  int64_t s = duration.count();
  if (s <= 0) return "0s";
  std::string out;
  for (const auto& [unit, size] : {std::pair{'d', int64_t{86400}}, {'h', int64_t{3600}}, {'m', int64_t{60}}, {'s', int64_t{1}}}) {
    if (s >= size) {
      out += std::to_string(s / size) + unit;
      s %= size;
    }
  }
  return out;
}

}  // namespace hainfra::cli
