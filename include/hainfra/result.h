// Errors as values: a small canonical set of codes and Result<T> = std::expected<T, Error>.
// Every module boundary returns these; no exception crosses one.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace hainfra {

enum class Code {
  kInvalidArgument,     // the input (spec, request, flag) is wrong; retrying will not help
  kNotFound,            // the object asked for does not exist
  kAlreadyExists,       // the object to create is already there
  kFailedPrecondition,  // the world is not in a state that allows this (no quorum, stale plan, lock held)
  kPermissionDenied,    // authentication or authorization refused
  kUnavailable,         // transient: connection lost, 5xx, lock timeout; safe to retry idempotent work
  kDeadlineExceeded,    // a timeout elapsed (task, command, wait)
  kCancelled,           // stopped by the user (SIGINT/SIGTERM) before it ran
  kInternal,            // a bug or an unexpected answer
};

// Stable lower-case name of a code ("invalid_argument"), used in JSON output.
std::string_view CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;

  // "invalid_argument: <message>"
  std::string ToString() const;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

// Build the error branch of any Result: `return Fail(Code::kNotFound, "vm/100 not found");`
inline std::unexpected<Error> Fail(Code code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}
inline std::unexpected<Error> Fail(Error error) { return std::unexpected<Error>(std::move(error)); }

// The success value of a Status.
inline Status Ok() { return {}; }

// Prefix an error's message with context, keeping its code: WithContext(r.error(), "observe vm/100").
inline Error WithContext(Error error, std::string_view context) {
  // Built with append, not `string + ": " + string`: GCC 12 at -O2 flags that form with a false
  // -Warray-bounds (GCC bug 105651), which breaks the optimized build under -Werror.
  std::string message;
  message.reserve(context.size() + 2 + error.message.size());
  message.append(context).append(": ").append(error.message);
  error.message = std::move(message);
  return error;
}

}  // namespace hainfra
