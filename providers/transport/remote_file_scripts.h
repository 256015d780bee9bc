// The fixed shell scripts behind SshClient's file operations. Paths and values are passed as positional
// arguments ($1, $2, …), each quoted by ShellCommand: nothing from a spec is ever spliced into a script.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::transport {

// Exit statuses of the scripts, mapped to errors by the client.
inline constexpr int kNoDirectory = 90;    // the target's directory does not exist
inline constexpr int kNotAFile = 91;       // the target is a symbolic link, a directory, a device, …
inline constexpr int kNoTempFile = 92;     // mktemp failed beside the target
inline constexpr int kIncomplete = 94;     // the content arrived short or different: nothing was renamed
inline constexpr int kAttributes = 95;     // chmod/chown of the temporary file failed
inline constexpr int kBackup = 96;         // the previous version could not be kept
inline constexpr int kRename = 97;         // the final rename failed
inline constexpr int kInterrupted = 99;    // the script was signalled (connection lost)
inline constexpr int kMissing = 44;        // ReadFile: no such file

// Suffix of the kept previous version: `path.hainfra-prev`.
inline constexpr std::string_view kPreviousSuffix = ".hainfra-prev";

// What is on the node now: "missing", "notfile", or "MODE USER:GROUP" and the content's SHA-256 (hex).
struct RemoteFileState {
  bool exists = false;
  bool regular = true;
  int mode = 0;       // permission bits, as stat %a
  std::string owner;  // "user:group"
  std::string sha256;
};

// argv to learn a file's state: sh -c SCRIPT sh PATH.
std::vector<std::string> StatFileCommand(const std::string& path);
Result<RemoteFileState> ParseStatFileOutput(std::string_view output);

// argv of the atomic write (content on stdin): sh -c SCRIPT sh PATH SIZE SHA256 MODE OWNER.
// MODE is octal text or empty (keep the old file's, 0644 for a new file); OWNER "user[:group]" or empty.
std::vector<std::string> WriteFileCommand(const std::string& path, size_t size, const std::string& sha256,
                                          std::optional<int> mode, const std::string& owner);

// argv that fixes only mode and owner of an existing file.
std::vector<std::string> ChangeAttributesCommand(const std::string& path, std::optional<int> mode,
                                                 const std::string& owner);

// argv that prints a file, or exits kMissing when there is none.
std::vector<std::string> ReadFileCommand(const std::string& path);

// Lower-case hex SHA-256 of `content` (compared with sha256sum's output).
std::string Sha256Hex(std::string_view content);

// "0644" -> "644" as stat prints it; mode bits only (0-07777).
std::string ModeText(int mode);

}  // namespace hainfra::transport
