#include "providers/kinds/pmxcfs_files.h"

#include <charconv>
#include <cstdio>
#include <random>

namespace hainfra::providers {
namespace {

// ARGV: the delimiter, the root, then the patterns (glob's patterns: the characters allowed hold no braces,
// tilde or space). One process streams every file: its header carries the byte count, so a content is taken
// by length, never searched for a delimiter, and it is the bytes of one read() run of the file (pmxcfs
// replaces a file whole, so they are one version of it). A file that vanishes between the glob and the open
// (a migration) or cannot be read is framed with X: the caller reads that one over the API. A name with any
// other character than those of the patterns is skipped (a header is one line). Perl: Proxmox VE's own
// tools are Perl, so every node has it; one process instead of one `cat` per file (issue 19: 2,000 forks cost
// seconds on a busy node).
constexpr const char* kPmxcfsScript = R"(use strict; use warnings;
my ($d, $root, @patterns) = @ARGV;
chdir $root or exit 90;
binmode STDOUT;
for my $pattern (@patterns) {
  for my $f (glob $pattern) {
    next unless $f =~ m{\A[A-Za-z0-9_./-]+\z} && -f $f;
    my $c;
    if (open(my $fh, '<:raw', $f)) { local $/; $c = <$fh>; $c = '' unless defined $c; close $fh; }
    if (defined $c) { print "$d F ", length($c), " $f\n", $c, "\n$d E\n"; } else { print "$d X $f\n"; }
  }
}
print "$d END\n";
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
  std::vector<std::string> argv = {"perl", "-e", kPmxcfsScript, std::string(nonce), std::string(root)};
  argv.insert(argv.end(), patterns.begin(), patterns.end());
  return argv;
}

Result<PmxcfsFiles> ParsePmxcfsDump(std::string_view out, std::string_view nonce) {
  PmxcfsFiles result;
  const std::string file = std::string(nonce) + " F ";
  const std::string gone = std::string(nonce) + " X ";
  const std::string end = std::string(nonce) + " END\n";
  const std::string trailer = "\n" + std::string(nonce) + " E\n";
  size_t pos = 0;
  while (true) {
    const std::string_view rest = out.substr(pos);
    if (rest == end) return result;
    const size_t eol = out.find('\n', pos);
    if (eol == std::string_view::npos) {
      return Fail(Code::kUnavailable, "reading /etc/pve: the output is cut short or not framed as expected");
    }
    const std::string_view line = out.substr(pos, eol - pos);
    if (line.starts_with(gone)) {
      result.unreadable.emplace_back(line.substr(gone.size()));
      pos = eol + 1;
      continue;
    }
    if (!line.starts_with(file)) {
      return Fail(Code::kUnavailable, "reading /etc/pve: the output is cut short or not framed as expected");
    }
    // "<nonce> F <bytes> <path>": the content is the next <bytes> bytes, then the trailer.
    const std::string_view fields = line.substr(file.size());
    const size_t space = fields.find(' ');
    size_t bytes = 0;
    const auto [num_end, ec] = std::from_chars(fields.data(), fields.data() + (space == std::string_view::npos ? 0 : space), bytes);
    if (space == std::string_view::npos || space == 0 || ec != std::errc() || num_end != fields.data() + space) {
      return Fail(Code::kUnavailable, "reading /etc/pve: a file header is not framed as expected");
    }
    std::string path(fields.substr(space + 1));
    const size_t start = eol + 1;
    if (bytes > out.size() - start || out.substr(start + bytes, trailer.size()) != trailer) {
      return Fail(Code::kUnavailable, "reading /etc/pve: `" + path + "` is cut short");
    }
    result.files.insert_or_assign(std::move(path), std::string(out.substr(start, bytes)));
    pos = start + bytes + trailer.size();
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

const std::vector<std::string>& PmxcfsObservePatterns() {
  static const std::vector<std::string> patterns = {"nodes/*/qemu-server/*.conf", "nodes/*/lxc/*.conf",
                                                     "ha/resources.cfg", "ha/groups.cfg", "ha/rules.cfg"};
  return patterns;
}

PmxcfsReader::PmxcfsReader(transport::SshClient* ssh, std::vector<std::string> patterns)
    : ssh_(ssh), patterns_(std::move(patterns)) {}

bool PmxcfsReader::enabled() const { return ssh_ != nullptr && !ssh_->settings().addresses.empty(); }

Result<std::shared_ptr<const PmxcfsFiles>> PmxcfsReader::Files(const std::string& consumer) {
  if (!enabled()) return std::shared_ptr<const PmxcfsFiles>();
  constexpr std::chrono::seconds kFresh{3};
  std::lock_guard<std::mutex> lock(mu_);
  if (last_ && !consumed_.contains(consumer) && std::chrono::steady_clock::now() - read_at_ <= kFresh) {
    consumed_.insert(consumer);
    return *last_;
  }
  // pmxcfs shows every node the same files: the first node by name serves the read.
  const std::string node = ssh_->settings().addresses.begin()->first;
  auto files = ReadPmxcfsFiles(*ssh_, node, patterns_);
  if (files) {
    last_ = std::shared_ptr<const PmxcfsFiles>(std::make_shared<const PmxcfsFiles>(std::move(*files)));
  } else {
    last_ = Result<std::shared_ptr<const PmxcfsFiles>>(Fail(files.error()));
  }
  read_at_ = std::chrono::steady_clock::now();
  consumed_ = {consumer};
  return *last_;
}

}  // namespace hainfra::providers
