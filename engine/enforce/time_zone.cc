#include "engine/enforce/time_zone.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hainfra::enforce {
namespace {

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, days since 1970-01-01).
int64_t TzDaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t TzFloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int TzDaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Unix seconds of a rule date in `year`, given in local time of `offset` (seconds east of UTC).
int64_t TzRuleInstant(int64_t year, const TimeZone::Rule::Date& date, int32_t offset) {
  // Day `weekday` (0 Sunday) of week `week` (5: the last) of the month.
  const int64_t first = TzDaysFromCivil(year, date.month, 1);
  const int first_weekday = static_cast<int>(((first + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday (4)
  int day = 1 + (date.weekday - first_weekday + 7) % 7 + 7 * (date.week - 1);
  while (day > TzDaysInMonth(year, date.month)) day -= 7;
  return (first + day - 1) * 86400 + date.time - offset;
}

uint32_t TzBe32(const std::string& b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8) |
         uint32_t(uint8_t(b[at + 3]));
}

int64_t TzBe64(const std::string& b, size_t at) {
  return static_cast<int64_t>((uint64_t(TzBe32(b, at)) << 32) | TzBe32(b, at + 4));
}

// POSIX offset "[+-]hh[:mm[:ss]]" -> seconds; `sign` inverted by the caller for zone offsets.
bool TzReadClock(const std::string& s, size_t& i, int32_t& out) {
  int sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  int32_t parts[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    if (p > 0) {
      if (i >= s.size() || s[i] != ':') break;
      ++i;
    }
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) parts[p] = parts[p] * 10 + (s[i++] - '0');
    if (i == start) return false;
  }
  out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool TzReadName(const std::string& s, size_t& i) {
  if (i < s.size() && s[i] == '<') {
    const size_t close = s.find('>', i);
    if (close == std::string::npos) return false;
    i = close + 1;
    return true;
  }
  const size_t start = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  return i - start >= 3;
}

bool TzReadDate(const std::string& s, size_t& i, TimeZone::Rule::Date& date) {
  if (i >= s.size() || s[i] != 'M') return false;  // Jn and n (day-of-year rules): no zone in use needs them
  ++i;
  int values[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    if (p > 0 && (i >= s.size() || s[i++] != '.')) return false;
    const size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) values[p] = values[p] * 10 + (s[i++] - '0');
    if (i == start) return false;
  }
  date.month = values[0], date.week = values[1], date.weekday = values[2];
  if (date.month < 1 || date.month > 12 || date.week < 1 || date.week > 5 || date.weekday > 6) return false;
  date.time = 7200;
  if (i < s.size() && s[i] == '/') {
    ++i;
    if (!TzReadClock(s, i, date.time)) return false;
  }
  return true;
}

}  // namespace

LocalTime LocalDay(int64_t days) {
  // civil_from_days
  const int64_t z = days + 719468;
  const int64_t era = TzFloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  LocalTime t;
  t.days = days;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2));
  t.weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);  // Thursday is 3 when Monday is 0
  return t;
}

Result<TimeZone::Rule> ParsePosixRule(const std::string& text) {
  TimeZone::Rule rule;
  size_t i = 0;
  int32_t offset = 0;
  if (!TzReadName(text, i) || !TzReadClock(text, i, offset)) {
    return Fail(Code::kInvalidArgument, "bad POSIX TZ rule \"" + text + "\"");
  }
  rule.std_offset = -offset;  // POSIX counts west of UTC
  rule.dst_offset = rule.std_offset + 3600;
  if (i < text.size()) {
    if (!TzReadName(text, i)) return Fail(Code::kInvalidArgument, "bad POSIX TZ rule \"" + text + "\"");
    rule.has_dst = true;
    if (i < text.size() && text[i] != ',') {
      if (!TzReadClock(text, i, offset)) return Fail(Code::kInvalidArgument, "bad POSIX TZ rule \"" + text + "\"");
      rule.dst_offset = -offset;
    }
    if (i >= text.size() || text[i++] != ',' || !TzReadDate(text, i, rule.start) || i >= text.size() ||
        text[i++] != ',' || !TzReadDate(text, i, rule.end) || i != text.size()) {
      return Fail(Code::kInvalidArgument, "unsupported POSIX TZ rule \"" + text + "\" (month rules Mm.w.d only)");
    }
  }
  rule.valid = true;
  return rule;
}

Result<TimeZone> ParseTzif(const std::string& name, const std::string& b) {
  auto bad = [&](const std::string& why) { return Fail(Code::kInvalidArgument, "time zone " + name + ": " + why); };
  if (b.size() < 44 || b.compare(0, 4, "TZif") != 0) return bad("not a TZif file");
  auto counts = [&](size_t at, uint32_t (&c)[6]) {
    for (int k = 0; k < 6; ++k) c[k] = TzBe32(b, at + 20 + 4 * k);
  };
  uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  size_t at = 44;
  const bool v2 = b[4] >= '2';
  int time_size = 4;
  if (v2) {  // skip the 32-bit block: the 64-bit one follows with its own header
    at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (b.size() < at + 44 || b.compare(at, 4, "TZif") != 0) return bad("truncated");
    counts(at, c);
    at += 44;
    time_size = 8;
  }
  const size_t need = c[3] * time_size + c[3] + c[4] * 6 + c[5] + c[2] * (time_size + 4) + c[1] + c[0];
  if (b.size() < at + need || c[4] == 0) return bad("truncated");
  TimeZone zone;
  zone.name_ = name;
  for (uint32_t k = 0; k < c[3]; ++k) {
    zone.transitions_.push_back(time_size == 8 ? TzBe64(b, at + 8 * k) : static_cast<int32_t>(TzBe32(b, at + 4 * k)));
  }
  at += c[3] * time_size;
  for (uint32_t k = 0; k < c[3]; ++k) {
    const uint8_t type = static_cast<uint8_t>(b[at + k]);
    if (type >= c[4]) return bad("a transition names a missing type");
    zone.types_.push_back(type);
  }
  at += c[3];
  for (uint32_t k = 0; k < c[4]; ++k) zone.offsets_.push_back(static_cast<int32_t>(TzBe32(b, at + 6 * k)));
  at += need - c[3] * time_size - c[3];
  if (v2 && at < b.size() && b[at] == '\n') {
    const size_t end = b.find('\n', at + 1);
    const std::string footer = end == std::string::npos ? "" : b.substr(at + 1, end - at - 1);
    if (!footer.empty()) {
      Result<TimeZone::Rule> rule = ParsePosixRule(footer);
      if (!rule) return bad(rule.error().message);
      zone.rule_ = *rule;
    }
  }
  return zone;
}

Result<TimeZone> TimeZone::Load(const std::string& name) {
  const bool safe = !name.empty() && name.front() != '/' && name.find("..") == std::string::npos &&
                    std::all_of(name.begin(), name.end(), [](char ch) {
                      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' ||
                             ch == '+';
                    });
  if (!safe) return Fail(Code::kInvalidArgument, "`" + name + "` is not an IANA time zone name (like Europe/Berlin)");
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (name == "UTC" || name == "Etc/UTC") return TimeZone();  // a system without the database
    return Fail(Code::kNotFound, "unknown time zone `" + name + "` (not in " + path.substr(0, path.size() - name.size() - 1) + ")");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return ParseTzif(name, bytes.str());
}

int32_t TimeZone::OffsetAt(int64_t t) const {
  if (offsets_.empty()) return rule_.valid ? rule_.std_offset : 0;
  const bool after_last = !transitions_.empty() && t >= transitions_.back();
  if ((transitions_.empty() || after_last) && rule_.valid) {
    if (!rule_.has_dst) return rule_.std_offset;
    const int64_t year = LocalDay(TzFloorDiv(t + rule_.std_offset, 86400)).year;
    const int64_t start = TzRuleInstant(year, rule_.start, rule_.std_offset);  // written in standard time
    const int64_t end = TzRuleInstant(year, rule_.end, rule_.dst_offset);      // written in daylight time
    const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? rule_.dst_offset : rule_.std_offset;
  }
  if (transitions_.empty() || t < transitions_.front()) return offsets_.front();
  const size_t k = std::upper_bound(transitions_.begin(), transitions_.end(), t) - transitions_.begin() - 1;
  return offsets_[types_[k]];
}

LocalTime TimeZone::ToLocal(int64_t t) const {
  const int64_t local = t + OffsetAt(t);
  LocalTime out = LocalDay(TzFloorDiv(local, 86400));
  out.minute = static_cast<int>((local - out.days * 86400) / 60);
  return out;
}

}  // namespace hainfra::enforce
