// Calendar events as Proxmox parses them for job schedules (`pve-calendar-event`, proxmox-time): the grammar
// `[WEEKDAYS] [[YEARS-]MONTHS-DAYS] [[HOURS:]MINUTES[:SECONDS]]` or one of the named events (daily, ...).
// The spec's format check only looks at the characters; this names the token Proxmox would refuse.
#pragma once

#include <string>
#include <string_view>

namespace hainfra::spec {

// What is wrong with `text` as a schedule ("hour 24 is out of range 0..23 in `24:00`"), or "" when Proxmox
// accepts it.
std::string CalendarEventProblem(std::string_view text);

}  // namespace hainfra::spec
