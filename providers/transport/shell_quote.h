// Turning an argument vector into one POSIX shell command line (what SSH's exec request carries): every
// argument single-quoted, so no value from a spec can inject shell syntax.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::transport {

// 'text' with each ' written as '\'' — literal in every POSIX shell (dash, bash), including newlines,
// $(), backticks, globs, leading dashes and the empty string.
std::string ShellQuote(std::string_view text);

// The quoted arguments joined by spaces. An empty vector, or an argument holding a NUL byte (which no
// command line can carry), is kInvalidArgument.
Result<std::string> ShellCommand(const std::vector<std::string>& argv);

// `command` under coreutils' timeout, set one second past `timeout` (rounded up to seconds): the remote side
// kills the command's whole process group (SIGTERM, SIGKILL 5 s later) even when the connection is gone,
// while the client's own deadline, reached first, reports kDeadlineExceeded. Needed because OpenSSH refuses
// SSH "signal" requests for root sessions. The command must be a program (timeout execs it), not a builtin.
std::string WithRemoteTimeout(const std::string& command, std::chrono::milliseconds timeout);

}  // namespace hainfra::transport
