#include "engine/plan/size.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace hainfra::plan {
namespace {

// Power of 1024 for a unit letter; -1 when the letter is not a unit.
int UnitPower(char unit) {
  switch (std::toupper(static_cast<unsigned char>(unit))) {
    case 'B': return 0;
    case 'K': return 1;
    case 'M': return 2;
    case 'G': return 3;
    case 'T': return 4;
    case 'P': return 5;
    default: return -1;
  }
}

std::optional<int64_t> ParseSizeText(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
  if (ec != std::errc() || end != text.data() + digits) return std::nullopt;

  std::string_view unit = text.substr(digits);
  int power = 0;
  if (!unit.empty()) {
    power = UnitPower(unit[0]);
    if (power < 0) return std::nullopt;
    std::string_view rest = unit.substr(1);
    // "G", "GB" and "GiB" all mean 1024^3 in Proxmox's vocabulary; "B" alone means bytes.
    if (!(rest.empty() || ((rest == "B" || rest == "b" || rest == "iB") && power > 0))) return std::nullopt;
  }
  const double bytes = number * std::pow(1024.0, power);
  if (!std::isfinite(bytes) || bytes > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(bytes));
}

}  // namespace

std::optional<int64_t> ParseSize(const Value& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    const int64_t n = value.get<int64_t>();
    if (n < 0) return std::nullopt;
    return n;
  }
  if (value.is_string()) return ParseSizeText(value.get_ref<const std::string&>());
  return std::nullopt;
}

}  // namespace hainfra::plan
