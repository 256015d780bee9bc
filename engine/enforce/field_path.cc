#include "engine/enforce/field_path.h"

#include "engine/spec/suggest.h"

namespace hainfra::enforce {

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point (the last `*`): linear for the short names we see.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool SplitFieldPath(std::string_view path, std::vector<PathSegment>& out, std::string& error) {
  out.clear();
  size_t i = 0;
  if (path.empty()) {
    error = "empty field path";
    return false;
  }
  while (i < path.size()) {
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) {
        error = "`[` without `]`";
        return false;
      }
      if (close == i + 1 || out.empty()) {
        error = out.empty() ? "a path starts with a field name" : "empty `[]`";
        return false;
      }
      out.push_back({std::string(path.substr(i + 1, close - i - 1)), true});
      i = close + 1;
      if (i < path.size() && path[i] != '.' && path[i] != '[') {
        error = "expected `.` or `[` after `]`";
        return false;
      }
      if (i < path.size() && path[i] == '.') ++i;
      if (i == path.size() && path.back() == '.') {
        error = "a path ends with a field name, not `.`";
        return false;
      }
      continue;
    }
    size_t end = i;
    while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
    const std::string_view name = path.substr(i, end - i);
    if (name.empty()) {
      error = "empty field name";
      return false;
    }
    for (char c : name) {
      if (c == ']' || c == '*' || c == '?' || c == ' ') {
        error = std::string("unexpected `") + c + "` in field name `" + std::string(name) + "` (globs go in brackets)";
        return false;
      }
    }
    out.push_back({std::string(name), false});
    i = end;
    if (i < path.size() && path[i] == '.') {
      ++i;
      if (i == path.size()) {
        error = "a path ends with a field name, not `.`";
        return false;
      }
    }
  }
  return true;
}

bool FieldPathMatches(std::string_view pattern, std::string_view path) {
  std::vector<PathSegment> want, have;
  std::string error;
  if (!SplitFieldPath(pattern, want, error) || !SplitFieldPath(path, have, error)) return false;
  if (want.size() > have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].key != have[i].key) return false;
    if (want[i].key ? !GlobMatch(want[i].text, have[i].text) : want[i].text != have[i].text) return false;
  }
  return true;
}

std::string CheckFieldPath(std::string_view pattern, const FieldSpec& body) {
  std::vector<PathSegment> segments;
  std::string error;
  if (!SplitFieldPath(pattern, segments, error)) return error;
  const FieldSpec* at = &body;
  std::string walked;
  for (const PathSegment& s : segments) {
    if (s.key) {
      const bool keyed = (at->type == FieldType::kList && !at->key.empty()) || at->type == FieldType::kMap;
      if (!keyed) return "`" + walked + "` has no entries by key (only keyed lists and maps take `[...]`)";
      at = &at->element.front();
      walked += "[" + s.text + "]";
      continue;
    }
    if (at->type != FieldType::kObject) return "`" + walked + "` has no fields (`" + s.text + "`)";
    const FieldSpec* field = FindField(*at, s.text);
    if (field == nullptr) {
      std::vector<std::string> names;
      for (const FieldSpec& f : at->fields) names.push_back(f.name);
      std::string hint = spec::DidYouMean(s.text, names);
      return "unknown field `" + s.text + "`" + (walked.empty() ? "" : " in `" + walked + "`") + hint;
    }
    at = field;
    walked += (walked.empty() ? "" : ".") + s.text;
  }
  return "";
}

}  // namespace hainfra::enforce
