// `hainfra enforce`: the loop around RunEnforceOnce, and the reports every run publishes.
#include "cli/enforce_command.h"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <random>
#include <thread>

#include "cli/enforce_state.h"
#include "cli/enforce_time.h"
#include "engine/planfile/atomic_write.h"

namespace hainfra::cli {
namespace {

using report::Outcome;

// Appends one line with a single write(2) on an O_APPEND descriptor: concurrent runners never interleave.
Status AppendLine(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(Code::kFailedPrecondition, path + ": cannot open the run log: " + std::strerror(errno));
  const ssize_t n = ::write(fd, line.data(), line.size());
  const int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return Fail(Code::kFailedPrecondition, path + ": cannot append to the run log: " + std::strerror(saved));
  }
  return Ok();
}

// Sleeps `duration`, waking early when `stop` is raised.
void SleepUnlessStopped(std::chrono::milliseconds duration, const std::atomic<bool>* stop) {
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    if (stop != nullptr && stop->load()) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(200), end - std::chrono::steady_clock::now()));
  }
}

bool Stopped(const EnforceOptions& options) { return options.stop != nullptr && options.stop->load(); }

void Wait(const EnforceOptions& options, std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return;
  if (options.wait) {
    options.wait(duration);
  } else {
    SleepUnlessStopped(duration, options.stop);
  }
}

std::chrono::milliseconds Splay(std::chrono::seconds splay) {
  if (splay.count() <= 0) return std::chrono::milliseconds(0);
  static std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<int64_t> pick(0, std::chrono::milliseconds(splay).count() - 1);
  return std::chrono::milliseconds(pick(engine));
}

void PrintSummary(const report::RunReport& r, std::ostream& out) {
  out << "enforce " << r.run_id << ": " << report::OutcomeName(r.outcome);
  if (!r.reason.empty()) out << ": " << r.reason;
  out << " (" << r.drifted.size() << " drifted, " << r.corrected.size() << " corrected, " << r.withheld.size()
      << " withheld";
  if (r.consecutive_failures > 0) out << ", " << r.consecutive_failures << " failed run(s) in a row";
  out << ")\n";
}

}  // namespace

bool PublishReport(const report::RunReport& r, const EnforceOptions& options, std::ostream& err) {
  bool ok = true;
  auto write = [&](const std::string& path, const std::string& text) {
    if (path.empty()) return;
    if (Status s = planfile::WriteFileAtomically(path, text); !s) {
      err << "error: " << s.error().message << "\n";
      ok = false;
    }
  };
  write(options.report, report::ReportJson(r).dump(2) + "\n");
  write(options.junit, report::ReportJUnit(r));
  write(options.metrics, report::ReportMetrics(r));
  if (!options.log.empty()) {
    if (Status s = AppendLine(options.log, report::LogLine(r)); !s) {
      err << "error: " << s.error().message << "\n";
      ok = false;
    }
  }
  if (!options.webhook_url.empty() && !report::WebhookEvents(r).empty()) {
    const transport::WebhookTarget target{options.webhook_url, options.webhook_headers};
    std::string body;
    if (options.webhook_format == WebhookFormat::kAlertmanager) {
      // An alert lives until a later run would have sent it again, with room for one missed run.
      const int64_t ttl = std::max<int64_t>(3600, 2 * options.every.count());
      body = report::AlertmanagerBody(r, r.started + ttl).dump();
    } else {
      body = report::GenericWebhookBody(r).dump();
    }
    if (Status s = transport::PostWebhook(target, body); !s) err << "warning: " << s.error().message << "\n";
  }
  return ok;
}

int RunEnforce(const EnforceOptions& options, Console& console) {
  if (!options.webhook_url.empty()) {
    if (Status s = transport::CheckWebhookTarget({options.webhook_url, options.webhook_headers}); !s) {
      console.err << "error: " << s.error().message << "\n";
      return kExitError;
    }
  }
  const bool loop = options.every.count() > 0;
  int exit_code = kExitOk;
  std::chrono::milliseconds delay{0};
  for (int run = 0; !Stopped(options); ++run) {
    Wait(options, delay + Splay(options.splay));
    if (Stopped(options)) break;
    const report::RunReport r = RunEnforceOnce(options, console, run == 0);
    PrintSummary(r, console.out);
    const bool published = PublishReport(r, options, console.err);
    exit_code = r.outcome == Outcome::kFailed || !published ? kExitError : kExitOk;
    if (!loop || (options.max_runs > 0 && run + 1 >= options.max_runs)) return exit_code;
    // Give the run's memory back before waiting: glibc keeps freed blocks in the arenas of the threads
    // that observed the cluster, and a long-running loop's RSS would otherwise creep up run after run.
    ::malloc_trim(0);
    // After failures the loop waits longer (every·2^n, at most kMaxBackoff); the state folder records it
    // for the next process.
    delay = BackoffDelay(options.every, r.outcome == Outcome::kFailed ? r.consecutive_failures : 0);
    if (delay != options.every) {
      console.out << "backing off: next run in " << FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(delay))
                  << "\n";
    }
  }
  // Stopped by a signal: the running step finished, the lock was released, the reports were written.
  console.out << "enforce: stopped\n";
  return kExitOk;
}

}  // namespace hainfra::cli
