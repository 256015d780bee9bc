#include "providers/transport/remote_file_scripts.h"

#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>

namespace hainfra::transport {

namespace {

// Prints "missing", "notfile", or "MODE USER:GROUP\nSHA256" (symbolic links count as "notfile").
constexpr char kStatScript[] = R"sh(f=$1
if [ -L "$f" ]; then echo notfile; exit 0; fi
if [ ! -e "$f" ]; then echo missing; exit 0; fi
if [ ! -f "$f" ]; then echo notfile; exit 0; fi
stat -c '%a %U:%G' -- "$f" || exit 1
sha256sum < "$f" | cut -d' ' -f1)sh";

// The content arrives on stdin into a temporary file beside the target. It is renamed over the target only
// after its size and SHA-256 match what the client sent, so a connection lost mid-transfer leaves the target
// untouched (and the trap removes the temporary file). The previous version is kept as a hard link (a copy
// where links are impossible, as on /etc/pve). Failures after the checks exit with distinct codes and write
// nothing to stdout, so a closed connection cannot kill the script before its cleanup.
constexpr char kWriteScript[] = R"sh(f=$1 size=$2 sum=$3 mode=$4 owner=$5
dir=$(dirname -- "$f") && base=$(basename -- "$f") || exit 90
[ -d "$dir" ] || exit 90
if [ -L "$f" ] || { [ -e "$f" ] && [ ! -f "$f" ]; }; then exit 91; fi
tmp=$(mktemp -- "$dir/.$base.hainfra-tmp.XXXXXX") || exit 92
trap 'rm -f -- "$tmp"' EXIT
trap 'exit 99' HUP INT TERM PIPE
cat > "$tmp" || exit 94
[ "$(wc -c < "$tmp")" -eq "$size" ] || exit 94
[ "$(sha256sum < "$tmp" | cut -d' ' -f1)" = "$sum" ] || exit 94
if [ -n "$mode" ]; then chmod "$mode" "$tmp" || exit 95
elif [ -e "$f" ]; then chmod --reference="$f" "$tmp" 2>/dev/null
else chmod 644 "$tmp" 2>/dev/null; fi
if [ -n "$owner" ]; then chown -- "$owner" "$tmp" || exit 95
elif [ -e "$f" ]; then chown --reference="$f" "$tmp" 2>/dev/null; fi
sync -- "$tmp" 2>/dev/null || sync
if [ -e "$f" ]; then ln -f -- "$f" "$f.hainfra-prev" 2>/dev/null || cp -p -- "$f" "$f.hainfra-prev" || exit 96; fi
mv -f -- "$tmp" "$f" || exit 97
trap - EXIT
sync -- "$dir" 2>/dev/null
exit 0)sh";

constexpr char kAttributesScript[] = R"sh(f=$1 mode=$2 owner=$3
if [ -n "$mode" ]; then chmod "$mode" "$f" || exit 95; fi
if [ -n "$owner" ]; then chown -- "$owner" "$f" || exit 95; fi)sh";

constexpr char kReadScript[] = R"sh(f=$1
if [ ! -e "$f" ]; then exit 44; fi
exec cat -- "$f")sh";

std::vector<std::string> Script(const char* script, std::vector<std::string> args) {
  std::vector<std::string> argv = {"sh", "-c", script, "sh"};
  for (auto& arg : args) argv.push_back(std::move(arg));
  return argv;
}

}  // namespace

std::string ModeText(int mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::vector<std::string> StatFileCommand(const std::string& path) { return Script(kStatScript, {path}); }

Result<RemoteFileState> ParseStatFileOutput(std::string_view output) {
  while (!output.empty() && output.back() == '\n') output.remove_suffix(1);
  // Each answer is built in its return statement: GCC 12 at -O2 warns (-Warray-bounds, falsely) when a
  // named local with strings is moved into the Result.
  if (output == "missing") return RemoteFileState{};
  if (output == "notfile") return RemoteFileState{.exists = true, .regular = false, .mode = 0, .owner = {}, .sha256 = {}};
  size_t newline = output.find('\n');
  size_t space = output.find(' ');
  if (newline == std::string_view::npos || space == std::string_view::npos || space > newline) {
    return Fail(Code::kInternal, "unexpected answer of the file check: '" + std::string(output.substr(0, 200)) + "'");
  }
  std::string mode_text(output.substr(0, space));
  char* end = nullptr;
  long mode = std::strtol(mode_text.c_str(), &end, 8);
  if (mode_text.empty() || *end != '\0') {
    return Fail(Code::kInternal, "unexpected mode in the file check: '" + mode_text + "'");
  }
  std::string_view sha256 = output.substr(newline + 1);
  if (sha256.size() != 64) return Fail(Code::kInternal, "unexpected checksum in the file check");
  return RemoteFileState{.exists = true,
                         .regular = true,
                         .mode = static_cast<int>(mode),
                         .owner = std::string(output.substr(space + 1, newline - space - 1)),
                         .sha256 = std::string(sha256)};
}

std::vector<std::string> WriteFileCommand(const std::string& path, size_t size, const std::string& sha256,
                                          std::optional<int> mode, const std::string& owner) {
  return Script(kWriteScript, {path, std::to_string(size), sha256, mode ? ModeText(*mode) : "", owner});
}

std::vector<std::string> ChangeAttributesCommand(const std::string& path, std::optional<int> mode,
                                                 const std::string& owner) {
  return Script(kAttributesScript, {path, mode ? ModeText(*mode) : "", owner});
}

std::vector<std::string> ReadFileCommand(const std::string& path) { return Script(kReadScript, {path}); }

std::string Sha256Hex(std::string_view content) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

}  // namespace hainfra::transport
