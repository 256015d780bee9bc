#include "providers/transport/shell_quote.h"

namespace hainfra::transport {

std::string ShellQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";  // close the quote, an escaped quote, reopen
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

Result<std::string> ShellCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) return Fail(Code::kInvalidArgument, "remote command: empty argument vector");
  std::string command;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i].find('\0') != std::string::npos) {
      return Fail(Code::kInvalidArgument,
                  "remote command: argument " + std::to_string(i) + " contains a NUL byte, which a command line cannot carry");
    }
    if (i > 0) command += ' ';
    command += ShellQuote(argv[i]);
  }
  return command;
}

std::string WithRemoteTimeout(const std::string& command, std::chrono::milliseconds timeout) {
  long long seconds = (timeout.count() + 999) / 1000 + 1;
  return "timeout --kill-after=5 " + std::to_string(seconds) + " " + command;
}

}  // namespace hainfra::transport
