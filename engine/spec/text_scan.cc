#include "engine/spec/text_scan.h"

#include <cstdio>

namespace hainfra::spec {
namespace {

constexpr int kMaxReports = 20;  // per file: after that the rest is noise

Diagnostic At(const std::string& file, int line, int column, std::string message) {
  Diagnostic d;
  d.where = Location{file, line, column};
  d.message = std::move(message);
  return d;
}

std::string Hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(c));
  return buf;
}

// Length of the valid UTF-8 sequence at `s[i]`, or 0 when it is malformed (overlong, surrogate, > U+10FFFF).
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

// Length of the line break at `s[i]`, 0 when there is none. As in the YAML parser: LF, CR, CR LF, and the
// Unicode breaks NEL, LS and PS, so our line numbers agree with the parser's.
size_t LineBreak(std::string_view s, size_t i) {
  if (s[i] == '\n') return 1;
  if (s[i] == '\r') return i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
  const std::string_view rest = s.substr(i, 3);
  if (rest.substr(0, 2) == "\xC2\x85") return 2;
  if (rest == "\xE2\x80\xA8" || rest == "\xE2\x80\xA9") return 3;
  return 0;
}

}  // namespace

bool IsCleanText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return false;
    const size_t n = Utf8Length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t n = Utf8Length(text, i);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

bool ScanText(std::string_view& text, const std::string& file, Diagnostics& out) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int reports = 0;
  auto report = [&](int line, int column, std::string message) {
    if (reports++ < kMaxReports) out.push_back(At(file, line, column, std::move(message)));
  };

  int line = 1;
  int column = 1;
  bool in_indent = true;     // only blanks seen so far on this line
  int tab_column = 0;        // column of the first tab in the indentation, 0 if none
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (const size_t n = LineBreak(text, i); n > 0) {
      ++line;
      column = 1;
      in_indent = true;
      tab_column = 0;
      i += n;
      continue;
    }
    if (in_indent && c != ' ' && c != '\t') {
      in_indent = false;
      if (tab_column > 0 && c != '#') {
        report(line, tab_column, "tab character in indentation: YAML indents with spaces only");
      }
    }
    if (c == '\t') {
      if (in_indent && tab_column == 0) tab_column = column;
    } else if (c < 0x20 || c == 0x7F) {
      report(line, column, "control character " + Hex(c) + " is not allowed in a spec file");
    } else if (c >= 0x80) {
      const size_t n = Utf8Length(text, i);
      if (n == 0) {
        report(line, column, "invalid UTF-8 byte " + Hex(c) + ": spec files must be UTF-8 text");
        // One report per broken sequence: skip the continuation bytes that follow.
        do {
          ++i;
          ++column;
        } while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80);
        continue;
      }
      i += n;
      ++column;  // columns count characters, as the YAML parser does
      continue;
    }
    ++i;
    ++column;
  }
  if (reports > kMaxReports) {
    out.push_back(At(file, line, 1, std::to_string(reports - kMaxReports) + " more problems of this kind"));
  }
  return reports == 0;
}

}  // namespace hainfra::spec
