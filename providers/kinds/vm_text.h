// Small text helpers of the VM kind's translation (Proxmox spellings of booleans, lists, URL-encoding),
// shared by reading configs (vm_config.cc) and writing them (vm_format.cc). Internal to the VM kind.
#pragma once

#include <cctype>
#include <charconv>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hainfra::providers::vm::text {

// The NIC models: in a net value the model key carries the MAC (`virtio=BC:24:11:...`).
inline const std::set<std::string, std::less<>> kNetModels = {
    "virtio", "e1000", "e1000e", "vmxnet3", "rtl8139", "e1000-82540em", "e1000-82544gc",
    "e1000-82545em", "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet"};

// Proxmox booleans: 0/1 (also on/off, yes/no, true/false in property strings).
inline bool Truthy(std::string_view text) { return text == "1" || text == "on" || text == "yes" || text == "true"; }

inline std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Non-empty parts of `text` between any of `separators`.
inline std::vector<std::string> Split(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (separators.find(c) != std::string_view::npos) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

inline std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int value = 0;
      auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec == std::errc() && end == text.data() + i + 3) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Percent-encodes everything but RFC 3986 unreserved characters (as qemu-server stores sshkeys).
inline std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// Up to 6 significant digits, no trailing zeros ("0.5", "12.5").
inline std::string FormatNumber(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", n);
  return buf;
}

}  // namespace hainfra::providers::vm::text
