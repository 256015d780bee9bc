// Where the transports report warnings and progress notes: a sink handed in by the composition root.
// Deep code never writes to stderr itself; every line passes the client's redactor first.
#pragma once

#include <functional>
#include <string_view>

namespace hainfra::transport {

// kProgress: how far a long task is (a download's percentage), shown while an apply runs.
enum class LogLevel { kDebug, kInfo, kProgress, kWarning };

// Receives one finished line (no trailing newline). Must be thread-safe: clients call it from any thread.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

}  // namespace hainfra::transport
