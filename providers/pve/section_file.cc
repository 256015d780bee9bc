#include "providers/pve/section_file.h"

#include <charconv>

namespace hainfra::pve {
namespace {

bool SectionFileSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view SectionFileTrimRight(std::string_view s) {
  while (!s.empty() && SectionFileSpace(s.back())) s.remove_suffix(1);
  return s;
}

// m/^(\S+):\s*(\S+)\s*$/: "type: id" (the first word ends with the colon), or "type:id" in one word (split
// at its last colon).
std::optional<std::pair<std::string_view, std::string_view>> SectionFileHeader(std::string_view line) {
  line = SectionFileTrimRight(line);
  if (line.empty() || SectionFileSpace(line.front())) return std::nullopt;
  size_t word = 0;
  while (word < line.size() && !SectionFileSpace(line[word])) ++word;
  const std::string_view first = line.substr(0, word);
  if (word == line.size()) {  // one word
    const size_t sep = first.rfind(':', first.size() >= 2 ? first.size() - 2 : 0);
    if (sep == std::string_view::npos || sep == 0 || sep + 1 >= first.size()) return std::nullopt;
    return std::make_pair(first.substr(0, sep), first.substr(sep + 1));
  }
  if (first.size() < 2 || first.back() != ':') return std::nullopt;
  std::string_view id = line.substr(word);
  while (!id.empty() && SectionFileSpace(id.front())) id.remove_prefix(1);
  for (char c : id) {
    if (SectionFileSpace(c)) return std::nullopt;
  }
  return std::make_pair(first.substr(0, first.size() - 1), id);
}

}  // namespace

std::vector<FileSection> ParseSectionFile(std::string_view text) {
  std::vector<FileSection> out;
  FileSection* current = nullptr;
  for (size_t pos = 0; pos <= text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t first = 0;
    while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
    if (first < line.size() && line[first] == '#') continue;  // a comment, inside a section or not
    if (line.empty()) {
      current = nullptr;  // a blank line ends the section
      if (eol == text.size()) break;
      continue;
    }
    if (current == nullptr) {
      if (auto header = SectionFileHeader(line)) {
        out.push_back(FileSection{std::string(header->first), std::string(header->second), {}});
        current = &out.back();
      }
      if (eol == text.size()) break;
      continue;
    }
    // m/^\s+(\S+)(\s+(.*\S))?\s*$/
    if (first == 0) {
      if (eol == text.size()) break;
      continue;
    }
    const std::string_view rest = SectionFileTrimRight(line.substr(first));
    size_t key_end = 0;
    while (key_end < rest.size() && !SectionFileSpace(rest[key_end])) ++key_end;
    std::string_view value = rest.substr(key_end);
    while (!value.empty() && SectionFileSpace(value.front())) value.remove_prefix(1);
    if (!rest.empty()) {
      current->options.emplace_back(std::string(rest.substr(0, key_end)),
                                    value.empty() ? std::nullopt : std::optional<std::string>(value));
    }
    if (eol == text.size()) break;
  }
  return out;
}

Value SectionValues(const FileSection& section, const SectionTypes& types) {
  Value out = Value::object();
  for (const auto& [key, value] : section.options) {
    const bool boolean = types.booleans.contains(key);
    if (!value) {
      if (boolean) out[key] = 1;
      continue;
    }
    if (boolean) {
      const std::string& v = *value;
      if (v == "1" || v == "on" || v == "yes" || v == "true") {
        out[key] = 1;
        continue;
      }
      if (v == "0" || v == "off" || v == "no" || v == "false") {
        out[key] = 0;
        continue;
      }
    }
    if (types.integers.contains(key)) {
      int64_t n = 0;
      const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
      if (ec == std::errc() && end == value->data() + value->size()) {
        out[key] = n;
        continue;
      }
    }
    out[key] = *value;
  }
  return out;
}

}  // namespace hainfra::pve
