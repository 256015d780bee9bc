// Times and durations as an administrator writes them on the command line: `30s`, `15m`, `1h30m`, `2d`
// (--every, --splay, pause --until 2h) and RFC 3339 instants (pause --until 2026-12-24T08:00:00+01:00).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "hainfra/result.h"

namespace hainfra::cli {

// "30s", "15m", "1h", "1h30m", "2d", "90" (seconds); a positive whole number of seconds.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

// "2026-12-24T08:00:00Z", "2026-12-24T08:00:00+01:00", fractions of a second ignored: Unix seconds.
Result<int64_t> ParseRfc3339(std::string_view text);

// --until: an RFC 3339 instant, or a duration counted from `now`. Unix seconds; must lie after `now`.
Result<int64_t> ParseUntil(std::string_view text, int64_t now);

// "2026-12-07T15:30:00Z".
std::string FormatRfc3339(int64_t unix_seconds);

// "15m", "2h30m", "45s": the shortest exact form.
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace hainfra::cli
