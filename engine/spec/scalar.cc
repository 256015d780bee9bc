#include "engine/spec/scalar.h"

#include <charconv>
#include <cmath>

namespace hainfra::spec {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  return i == s.size();
}

Scalar Integer(std::string_view digits, int base, bool negative) {
  Scalar out;
  out.type = ScalarType::kInt;
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (ec != std::errc() || ptr != digits.data() + digits.size() || value > limit) {
    out.overflow = true;
    return out;
  }
  out.integer = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  return out;
}

}  // namespace

Scalar ResolvePlain(std::string_view s) {
  Scalar out;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    out.type = ScalarType::kNull;
    return out;
  }
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    out.type = ScalarType::kBool;
    out.boolean = s[0] == 't' || s[0] == 'T';
    return out;
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && AllOf(s.substr(2), IsOctalDigit)) {
    return Integer(s.substr(2), 8, false);
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && AllOf(s.substr(2), IsHexDigit)) {
    return Integer(s.substr(2), 16, false);
  }
  const bool negative = s[0] == '-';
  const std::string_view unsigned_part = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (AllOf(unsigned_part, IsDigit)) return Integer(unsigned_part, 10, negative);
  if (IsFloat(s)) {
    out.type = ScalarType::kNumber;
    const std::string_view body = s[0] == '+' ? s.substr(1) : s;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), out.number);
    if (ec != std::errc() || ptr != body.data() + body.size() || !std::isfinite(out.number)) out.overflow = true;
    return out;
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "-.inf" || s == ".nan" || s == ".NaN" ||
      s == ".NAN") {
    out.type = ScalarType::kNumber;
    out.overflow = true;  // not a finite number: no field accepts it
    return out;
  }
  return out;
}

std::string_view ScalarTypeName(ScalarType type) {
  switch (type) {
    case ScalarType::kString: return "a string";
    case ScalarType::kBool: return "a boolean";
    case ScalarType::kInt: return "an integer";
    case ScalarType::kNumber: return "a number";
    case ScalarType::kNull: return "nothing (null)";
  }
  return "a value";
}

}  // namespace hainfra::spec
