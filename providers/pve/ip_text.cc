#include "providers/pve/ip_text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <utility>

namespace hainfra::pve {
namespace {

struct Parsed {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

std::optional<Parsed> Parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  Parsed p;
  if (inet_pton(AF_INET, s.c_str(), p.bytes.data()) == 1) {
    p.family = AF_INET;
    return p;
  }
  if (inet_pton(AF_INET6, s.c_str(), p.bytes.data()) == 1) {
    p.family = AF_INET6;
    return p;
  }
  return std::nullopt;
}

std::optional<int> Number(std::string_view text) {
  int n = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::string> CanonicalIp(std::string_view text) {
  auto p = Parse(text);
  if (!p) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(p->family, p->bytes.data(), buf, sizeof buf) == nullptr) return std::nullopt;
  return std::string(buf);
}

std::optional<std::string> CanonicalCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = CanonicalIp(text.substr(0, slash));
  auto prefix = Number(text.substr(slash + 1));
  if (!ip || !prefix) return std::nullopt;
  const int max = ip->find(':') != std::string::npos ? 128 : 32;
  if (*prefix < 0 || *prefix > max) return std::nullopt;
  return *ip + "/" + std::to_string(*prefix);
}

std::string_view CidrAddress(std::string_view cidr) {
  const size_t slash = cidr.find('/');
  return slash == std::string_view::npos ? cidr : cidr.substr(0, slash);
}

bool InNetwork(std::string_view ip, std::string_view cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  auto a = Parse(ip);
  auto n = Parse(cidr.substr(0, slash));
  auto prefix = Number(cidr.substr(slash + 1));
  if (!a || !n || !prefix || a->family != n->family) return false;
  const int bits = a->family == AF_INET ? 32 : 128;
  if (*prefix < 0 || *prefix > bits) return false;
  for (int i = 0; i < *prefix; ++i) {
    const int byte = i / 8, bit = 7 - i % 8;
    if (((a->bytes[byte] >> bit) & 1) != ((n->bytes[byte] >> bit) & 1)) return false;
  }
  return true;
}

std::optional<std::vector<std::string>> CanonicalVlanList(const std::vector<std::string>& entries) {
  std::vector<std::pair<int, int>> ranges;
  for (const std::string& entry : entries) {
    std::string word;
    auto flush = [&]() -> bool {
      if (word.empty()) return true;
      const size_t dash = word.find('-');
      auto lo = Number(std::string_view(word).substr(0, dash));
      auto hi = dash == std::string::npos ? lo : Number(std::string_view(word).substr(dash + 1));
      word.clear();
      if (!lo || !hi || *lo < 1 || *hi > 4094 || *lo > *hi) return false;
      ranges.emplace_back(*lo, *hi);
      return true;
    };
    for (char c : entry) {
      if (c == ' ' || c == ',' || c == ';' || c == '\t') {
        if (!flush()) return std::nullopt;
      } else {
        word += c;
      }
    }
    if (!flush()) return std::nullopt;
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<int, int>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  std::vector<std::string> out;
  for (const auto& [lo, hi] : merged) {
    out.push_back(lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi));
  }
  return out;
}

}  // namespace hainfra::pve
