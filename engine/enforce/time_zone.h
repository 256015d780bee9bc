// IANA time zones read from the system's TZif files (/usr/share/zoneinfo, or $TZDIR), so windows written
// in local time stay right across daylight-saving changes. GCC 12's libstdc++ has no std::chrono::tzdb,
// and setenv("TZ") + localtime_r would change the whole process; this reads the file once, without globals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::enforce {

// A local wall-clock moment, to the minute.
struct LocalTime {
  int64_t days = 0;  // days since 1970-01-01 in local time (for the day before: LocalDay(days - 1))
  int year = 1970;
  int month = 1;     // 1..12
  int day = 1;       // 1..31
  int weekday = 3;   // 0 Monday .. 6 Sunday (1970-01-01 was a Thursday)
  int minute = 0;    // minute of the day, 0..1439
};

// The date fields of a local day (minute 0).
LocalTime LocalDay(int64_t days);

class TimeZone {
 public:
  TimeZone() = default;  // UTC

  // Loads a zone by IANA name ("Europe/Berlin", "UTC"); NotFound when the database has no such zone,
  // InvalidArgument for a malformed name or file.
  static Result<TimeZone> Load(const std::string& name);

  const std::string& name() const { return name_; }
  // Seconds east of UTC in effect at `unix_seconds`.
  int32_t OffsetAt(int64_t unix_seconds) const;
  LocalTime ToLocal(int64_t unix_seconds) const;

  // The POSIX TZ rule for moments after the file's last transition ("CET-1CEST,M3.5.0,M10.5.0/3").
  struct Rule {
    bool valid = false;
    int32_t std_offset = 0;  // seconds east of UTC
    int32_t dst_offset = 0;
    bool has_dst = false;
    struct Date { int month = 0, week = 0, weekday = 0; int32_t time = 7200; } start, end;  // Mm.w.d/time
  };

 private:
  friend Result<TimeZone> ParseTzif(const std::string& name, const std::string& bytes);

  std::string name_ = "UTC";
  std::vector<int64_t> transitions_;  // ascending Unix seconds
  std::vector<uint8_t> types_;        // the offset index in effect from each transition
  std::vector<int32_t> offsets_;      // local time types: seconds east of UTC
  Rule rule_;
};

// Parses a TZif file's content (exposed for tests with crafted files).
Result<TimeZone> ParseTzif(const std::string& name, const std::string& bytes);

// Parses the POSIX TZ string of a TZif footer; only month rules (Mm.w.d) for DST.
Result<TimeZone::Rule> ParsePosixRule(const std::string& text);

}  // namespace hainfra::enforce
