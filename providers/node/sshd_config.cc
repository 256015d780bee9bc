#include "providers/node/sshd_config.h"
#include "providers/pve/text.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace hainfra::node {
namespace {

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// A value character: printable ASCII except blanks, quotes and the backslash (sshd's quoting and escapes).
bool ValueChar(char c) { return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '\\'; }

// One setting line of a config file: `Keyword value…` or `Keyword=value…`; false for blanks and comments.
bool SplitSetting(std::string_view line, std::string& keyword, std::string& value) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty() || line.front() == '#') return false;
  size_t end = 0;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '=') ++end;
  keyword = std::string(line.substr(0, end));
  std::string_view rest = line.substr(end);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '=') rest.remove_prefix(1);
  // sshd ends a line at a word starting with `#`.
  std::vector<std::string> words;
  for (const std::string& w : pve::Words(rest)) {
    if (w.front() == '#') break;
    words.push_back(w);
  }
  value = JoinWords(words);
  return !keyword.empty();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// sshd's time format: a number of seconds, or groups like 1h30m (s, m, h, d, w). "" when not a time.
std::string Seconds(std::string_view value) {
  if (value.empty()) return "";
  long long total = 0, number = 0;
  bool digits = false;
  for (char c : value) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + (c - '0');
      digits = true;
      if (number > 1'000'000'000) return "";
      continue;
    }
    if (!digits) return "";
    long long unit = 0;
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 604800; break;
      default: return "";
    }
    total += number * unit;
    number = 0;
    digits = false;
  }
  total += number;
  return std::to_string(total);
}

// Words sshd compares without regard to case (flags and enumerations): kept lower-case.
const std::set<std::string>& CaseFreeWords() {
  static const std::set<std::string> kWords = {
      "yes",   "no",    "prohibit-password", "without-password", "forced-commands-only", "any",  "local",
      "remote", "all",  "none",              "inet",             "inet6",                "ask",  "confirm",
      "clientspecified", "point-to-point",   "ethernet",         "delayed",              "sandbox"};
  return kWords;
}

}  // namespace

Status CheckSshdSetting(std::string_view keyword, std::string_view value) {
  const bool keyword_ok = !keyword.empty() && std::isalpha(static_cast<unsigned char>(keyword[0])) &&
                          std::all_of(keyword.begin(), keyword.end(),
                                      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  if (!keyword_ok) {
    return Fail(Code::kInvalidArgument, "sshd keyword `" + std::string(keyword.substr(0, 40)) +
                                            "` is not an sshd_config keyword (letters and digits)");
  }
  const std::string lower = pve::Lower(keyword);
  if (lower == "match" || lower == "include") {
    return Fail(Code::kInvalidArgument, "sshd keyword `" + std::string(keyword) +
                                            "` cannot be set by a baseline: it would change how the rest of the "
                                            "configuration is read");
  }
  const std::string where = "sshd " + std::string(keyword) + ": ";
  if (value.empty()) return Fail(Code::kInvalidArgument, where + "the value is empty");
  if (value.size() > 1024) return Fail(Code::kInvalidArgument, where + "the value is longer than 1024 characters");
  bool word_start = true;
  for (char c : value) {
    if (c == ' ') {
      if (word_start) return Fail(Code::kInvalidArgument, where + "words must be separated by single spaces");
      word_start = true;
      continue;
    }
    if (!ValueChar(c)) {
      return Fail(Code::kInvalidArgument, where + "the value may only hold printable characters without quotes, "
                                                  "backslashes, tabs or line breaks");
    }
    if (word_start && c == '#') {
      return Fail(Code::kInvalidArgument, where + "a word starting with `#` would begin a comment");
    }
    word_start = false;
  }
  if (word_start) return Fail(Code::kInvalidArgument, where + "the value ends with a space");
  return Ok();
}

std::string RenderSshdDropIn(const Value& settings, std::string_view baseline) {
  std::string out = "# Managed by hainfra (baseline " + std::string(baseline) +
                    "): rewritten by `hainfra apply`, edits here are drift.\n"
                    "# sshd keeps the first value it reads; sshd_config includes this folder first.\n";
  if (!settings.is_object()) return out;
  for (auto it = settings.begin(); it != settings.end(); ++it) {
    if (it.value().is_string()) out += it.key() + " " + it.value().get<std::string>() + "\n";
  }
  return out;
}

std::string NormalizeSshdValue(std::string_view keyword, std::string_view value) {
  const std::string k = pve::Lower(keyword);
  std::vector<std::string> words = pve::Words(value);
  for (std::string& w : words) {
    const std::string lower = pve::Lower(w);
    if (CaseFreeWords().count(lower) != 0) w = lower;
    if (w == "without-password") w = "prohibit-password";
  }
  if ((k == "logingracetime" || k == "clientaliveinterval") && words.size() == 1) {
    if (std::string s = Seconds(words[0]); !s.empty()) words[0] = s;
  }
  return JoinWords(words);
}

std::vector<std::string> SshdSnapshotArgv(const std::string& marker) {
  // A fixed script; the paths and the marker arrive as its arguments ($1..$3), never inside it.
  static const char* kScript =
      "PATH=\"$PATH:/usr/sbin:/sbin\"; m=$3\n"
      "printf '%s main\\n' \"$m\"; cat -- \"$1\" 2>/dev/null; printf '\\n'\n"
      "for f in \"$2\"/*; do\n"
      "  [ -f \"$f\" ] || continue\n"
      "  printf '%s file %s\\n' \"$m\" \"$f\"; cat -- \"$f\"; printf '\\n'\n"
      "done\n"
      "printf '%s effective\\n' \"$m\"; sshd -T 2>&1; rc=$?; printf '\\n%s exit %s\\n' \"$m\" \"$rc\"\n";
  return {"sh", "-c", kScript, "sh", kSshdMainConfig, kSshdDropInDir, marker};
}

Result<SshdSnapshot> ParseSshdSnapshot(std::string_view text, std::string_view marker) {
  struct Section {
    std::string header;
    std::string content;
  };
  std::vector<Section> sections;
  const std::string prefix = std::string(marker) + " ";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with(prefix)) {
      if (!sections.empty() && !sections.back().content.empty()) sections.back().content.pop_back();  // our '\n'
      sections.push_back({std::string(line.substr(prefix.size())), ""});
    } else if (!sections.empty()) {
      sections.back().content.append(line).push_back('\n');
    }
    pos = end + 1;
  }
  SshdSnapshot out;
  bool saw_exit = false;
  for (const Section& s : sections) {
    if (s.header == "main") {
      out.main = s.content;
    } else if (s.header.starts_with("file ")) {
      out.files[s.header.substr(5)] = s.content;
    } else if (s.header == "effective") {
      out.effective = s.content;
    } else if (s.header.starts_with("exit ")) {
      saw_exit = true;
      out.effective_ok = s.header == "exit 0";
    }
  }
  if (sections.empty() || sections.front().header != "main" || !saw_exit) {
    return Fail(Code::kInternal, "the sshd configuration could not be read (unexpected output: " +
                                     std::string(text.substr(0, 200)) + ")");
  }
  return out;
}

SshdAnalysis AnalyzeSshd(const SshdSnapshot& snapshot) {
  SshdAnalysis a;
  int order = 0;
  auto record = [&](const std::string& file, int line, const std::string& keyword, const std::string& value) {
    const std::string k = pve::Lower(keyword);
    if (a.first.count(k) == 0) a.first[k] = SshdSource{file, line, value, order};
    ++order;
  };
  // An included file's settings; a Match inside it makes the rest of that file conditional.
  auto read_file = [&](const std::string& path, const std::string& text) {
    int n = 0;
    for (std::string_view line : Lines(text)) {
      ++n;
      std::string keyword, value;
      if (!SplitSetting(line, keyword, value)) continue;
      if (pve::Lower(keyword) == "match") break;
      record(path, n, keyword, value);
    }
  };

  bool in_match = false;
  int n = 0;
  for (std::string_view line : Lines(snapshot.main)) {
    ++n;
    std::string keyword, value;
    if (!SplitSetting(line, keyword, value)) continue;
    const std::string k = pve::Lower(keyword);
    if (k == "match") {
      in_match = true;
      continue;
    }
    if (k != "include") {
      if (!in_match) record(kSshdMainConfig, n, keyword, value);
      continue;
    }
    // The files an Include reads, in glob order; our drop-in counts whether it exists yet or not.
    std::set<std::string> matched;
    for (const std::string& pattern : pve::Words(value)) {
      const std::string absolute = pattern.front() == '/' ? pattern : std::string("/etc/ssh/") + pattern;
      const size_t slash = absolute.rfind('/');
      if (absolute.substr(0, slash) != kSshdDropInDir) {
        if (!in_match && !a.included) a.opaque = true;  // files elsewhere, read before ours: not in the snapshot
        continue;
      }
      for (const auto& [path, text] : snapshot.files) {
        if (::fnmatch(absolute.c_str(), path.c_str(), FNM_PATHNAME) == 0) matched.insert(path);
      }
      if (::fnmatch(absolute.c_str(), kSshdDropIn, FNM_PATHNAME) == 0) matched.insert(kSshdDropIn);
    }
    for (const std::string& path : matched) {
      if (path == kSshdDropIn && a.drop_in_order < 0) {
        if (in_match) {
          a.not_included = std::string(kSshdMainConfig) + " includes the drop-in folder inside a Match block (line " +
                           std::to_string(n) + "): its settings would apply to matching connections only";
        } else {
          a.included = true;
          a.drop_in_order = order;
        }
      }
      if (in_match) continue;
      auto file = snapshot.files.find(path);
      if (file != snapshot.files.end()) read_file(path, file->second);
    }
  }
  if (!a.included && a.not_included.empty()) {
    a.not_included = std::string(kSshdMainConfig) + " has no `Include " + kSshdDropInDir +
                     "/*.conf` before its Match blocks: sshd would never read the drop-in";
  }

  for (std::string_view line : Lines(snapshot.effective)) {
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0) continue;
    const std::string k(line.substr(0, space));
    const std::string v(line.substr(space + 1));
    auto [it, inserted] = a.effective.emplace(k, v);
    if (!inserted) it->second += " " + v;  // list keywords print one line per element
  }
  if (!snapshot.effective_ok) a.effective.clear();

  if (auto drop_in = snapshot.files.find(kSshdDropIn); drop_in != snapshot.files.end()) {
    a.drop_in_exists = true;
    for (std::string_view line : Lines(drop_in->second)) {
      std::string keyword, value;
      if (SplitSetting(line, keyword, value)) a.drop_in.emplace_back(keyword, value);
    }
  }
  return a;
}

Value ObservedSshdSettings(const Value& desired, const SshdAnalysis& analysis) {
  Value out = Value::object();
  std::set<std::string> declared;
  if (desired.is_object()) {
    for (auto it = desired.begin(); it != desired.end(); ++it) {
      const std::string k = pve::Lower(it.key());
      declared.insert(k);
      auto first = analysis.first.find(k);
      const bool ours = first != analysis.first.end() && first->second.file == kSshdDropIn && !analysis.opaque;
      auto effective = analysis.effective.find(k);
      if (ours) {
        out[it.key()] = first->second.value;
      } else if (effective != analysis.effective.end()) {
        out[it.key()] = effective->second;
      } else if (first != analysis.first.end()) {
        out[it.key()] = first->second.value;
      }
    }
  }
  for (const auto& [keyword, value] : analysis.drop_in) {
    if (declared.count(pve::Lower(keyword)) == 0 && !out.contains(keyword)) out[keyword] = value;
  }
  return out;
}

}  // namespace hainfra::node
