// SshClient's file operations (declared in ssh_client.h): built on Run and the fixed scripts of
// remote_file_scripts.h, so this file needs no libssh.
#include "providers/transport/remote_file_scripts.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::transport {

namespace {

bool OwnerMatches(const std::string& wanted, const std::string& actual) {
  if (wanted.empty()) return true;
  if (wanted.find(':') != std::string::npos) return wanted == actual;
  return actual.substr(0, actual.find(':')) == wanted;
}

std::string Tail(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  constexpr size_t kMax = 1000;
  if (text.size() > kMax) text = "…" + text.substr(text.size() - kMax);
  return text.empty() ? "" : ": " + text;
}

Error WriteFailure(const std::string& where, const std::string& path, const CommandResult& r) {
  const std::string what = where + ": writing " + path;
  switch (r.exit_status) {
    case kNoDirectory:
      return Error{Code::kNotFound, what + ": its directory does not exist"};
    case kNotAFile:
      return Error{Code::kFailedPrecondition, what + ": it is a symbolic link or not a regular file; write its target"};
    case kNoTempFile:
      return Error{Code::kFailedPrecondition, what + ": cannot create a temporary file beside it" + Tail(r.stderr_text)};
    case kIncomplete:
    case kInterrupted:
      return Error{Code::kUnavailable, what + ": the content did not arrive whole; the file is unchanged"};
    case kAttributes:
      return Error{Code::kFailedPrecondition, what + ": cannot set mode or owner" + Tail(r.stderr_text)};
    case kBackup:
      return Error{Code::kFailedPrecondition, what + ": cannot keep the previous version" + Tail(r.stderr_text)};
    case kRename:
      return Error{Code::kFailedPrecondition, what + ": the final rename failed" + Tail(r.stderr_text)};
    default:
      break;
  }
  std::string status = r.exit_signal.empty() ? "exit status " + std::to_string(r.exit_status) : "signal " + r.exit_signal;
  return Error{Code::kFailedPrecondition, what + ": failed with " + status + Tail(r.stderr_text)};
}

}  // namespace

Result<bool> SshClient::WriteFileAtomic(const std::string& node, const std::string& path, const std::string& content,
                                        const FileAttributes& attributes) {
  const std::string where = "ssh " + settings().user + "@" + node;
  if (path.empty() || path.front() != '/') {
    return Fail(Code::kInvalidArgument, where + ": writing '" + path + "': the path must be absolute");
  }
  if (attributes.mode && (*attributes.mode < 0 || *attributes.mode > 07777)) {
    return Fail(Code::kInvalidArgument, where + ": writing " + path + ": invalid mode");
  }
  auto stat = Run(node, StatFileCommand(path));
  if (!stat) return Fail(stat.error());
  if (!stat->ok()) {
    return Fail(Code::kFailedPrecondition, where + ": cannot inspect " + path + Tail(stat->stderr_text));
  }
  auto state = ParseStatFileOutput(stat->stdout_text);
  if (!state) return Fail(WithContext(state.error(), where + ": " + path));
  if (state->exists && !state->regular) {
    return Fail(Code::kFailedPrecondition,
                where + ": writing " + path + ": it is a symbolic link or not a regular file; write its target");
  }

  const std::string sha256 = Sha256Hex(content);
  if (state->exists && state->sha256 == sha256) {
    bool mode_ok = !attributes.mode || (*attributes.mode & 07777) == state->mode;
    bool owner_ok = OwnerMatches(attributes.owner, state->owner);
    if (mode_ok && owner_ok) return false;  // nothing to do, nothing written
    auto fixed = Run(node, ChangeAttributesCommand(path, mode_ok ? std::nullopt : attributes.mode,
                                                   owner_ok ? std::string() : attributes.owner));
    if (!fixed) return Fail(fixed.error());
    if (!fixed->ok()) return Fail(WriteFailure(where, path, *fixed));
    return true;
  }

  RunOptions options;
  options.stdin_data = content;
  auto written = Run(node, WriteFileCommand(path, content.size(), sha256, attributes.mode, attributes.owner), options);
  if (!written) return Fail(WithContext(written.error(), "writing " + path + " (the file is unchanged unless the "
                                                          "rename had already happened)"));
  if (!written->ok()) return Fail(WriteFailure(where, path, *written));
  return true;
}

Result<std::string> SshClient::ReadFile(const std::string& node, const std::string& path) {
  auto result = Run(node, ReadFileCommand(path));
  if (!result) return Fail(result.error());
  const std::string where = "ssh " + settings().user + "@" + node;
  if (result->exit_status == kMissing) return Fail(Code::kNotFound, where + ": " + path + " does not exist");
  if (!result->ok()) return Fail(Code::kFailedPrecondition, where + ": cannot read " + path + Tail(result->stderr_text));
  return std::move(result->stdout_text);
}

}  // namespace hainfra::transport
