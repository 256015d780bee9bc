#include "providers/kinds/pmxcfs_files.h"

#include <cstdio>
#include <random>

namespace hainfra::providers {
namespace {

// $1 delimiter, $2 root, then the patterns. Unquoted $pattern globs (the patterns hold no spaces); a pattern
// that matches nothing stays literal and fails the -f test. A file that vanishes between the glob and cat
// (a migration) is framed with X instead of E: the caller reads that one over the API.
constexpr const char* kPmxcfsScript = R"(LC_ALL=C; export LC_ALL
d=$1; root=$2; shift 2
cd "$root" || exit 90
for pattern in "$@"; do
  for f in $pattern; do
    [ -f "$f" ] || continue
    printf '%s F %s\n' "$d" "$f"
    if cat -- "$f"; then printf '\n%s E\n' "$d"; else printf '\n%s X\n' "$d"; fi
  done
done
printf '%s END\n' "$d"
)";

bool PmxcfsPatternChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '*' || c == '/' || c == '-';
}

std::string PmxcfsNonce() {
  std::random_device rd;
  std::string out;
  char buf[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    out += buf;
  }
  return "hainfra-" + out;
}

}  // namespace

Result<std::vector<std::string>> PmxcfsReadCommand(std::string_view nonce, std::string_view root,
                                                   const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (p.empty() || p.front() == '/' || p.find("..") != std::string::npos) {
      return Fail(Code::kInvalidArgument, "pmxcfs pattern `" + p + "`: must be a relative path below the root");
    }
    for (char c : p) {
      if (!PmxcfsPatternChar(c)) return Fail(Code::kInvalidArgument, "pmxcfs pattern `" + p + "`: unexpected character");
    }
  }
  std::vector<std::string> argv = {"sh", "-c", kPmxcfsScript, "sh", std::string(nonce), std::string(root)};
  argv.insert(argv.end(), patterns.begin(), patterns.end());
  return argv;
}

Result<PmxcfsFiles> ParsePmxcfsDump(std::string_view out, std::string_view nonce) {
  PmxcfsFiles result;
  const std::string header = std::string(nonce) + " F ";
  const std::string end = std::string(nonce) + " END\n";
  const std::string frame = "\n" + std::string(nonce) + " ";
  size_t pos = 0;
  while (true) {
    if (out.substr(pos) == end) return result;
    if (out.substr(pos, header.size()) != header) {
      return Fail(Code::kUnavailable, "reading /etc/pve: the output is cut short or not framed as expected");
    }
    const size_t eol = out.find('\n', pos);
    if (eol == std::string_view::npos) return Fail(Code::kUnavailable, "reading /etc/pve: a file header is cut short");
    std::string path(out.substr(pos + header.size(), eol - pos - header.size()));
    // The frame's leading newline is the script's own (printed after cat): the content ends right before it.
    const size_t at = out.find(frame, eol + 1);
    if (at == std::string_view::npos || at + frame.size() + 2 > out.size() || out[at + frame.size() + 1] != '\n') {
      return Fail(Code::kUnavailable, "reading /etc/pve: `" + path + "` is cut short");
    }
    const char status = out[at + frame.size()];
    const std::string_view content = out.substr(eol + 1, at - eol - 1);
    if (status == 'E') {
      result.files[path] = std::string(content);
    } else if (status == 'X') {
      result.unreadable.push_back(path);
    } else {
      return Fail(Code::kUnavailable, "reading /etc/pve: `" + path + "`: unexpected frame");
    }
    pos = at + frame.size() + 2;
  }
}

Result<PmxcfsFiles> ReadPmxcfsFiles(transport::SshClient& ssh, const std::string& node,
                                    const std::vector<std::string>& patterns, std::string_view root) {
  const std::string nonce = PmxcfsNonce();
  auto argv = PmxcfsReadCommand(nonce, root, patterns);
  if (!argv) return Fail(argv.error());
  auto run = ssh.Run(node, *argv);
  if (!run) return Fail(run.error());
  if (!run->ok()) {
    std::string why = run->stderr_text;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (run->exit_status == 90) why = "no " + std::string(root) + " on the node";
    return Fail(Code::kFailedPrecondition, "reading " + std::string(root) + " on " + node + ": exit status " +
                                               std::to_string(run->exit_status) + (why.empty() ? "" : ": " + why));
  }
  auto files = ParsePmxcfsDump(run->stdout_text, nonce);
  if (!files) return Fail(files.error());
  files->node = node;
  return files;
}

}  // namespace hainfra::providers
