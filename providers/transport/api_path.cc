#include "providers/transport/api_path.h"

#include <array>

namespace hainfra::transport {

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendEscaped(std::string& out, unsigned char c) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0x0F];
}

Result<std::string> ScalarText(const std::string& key, const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "1" : "0");
  if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float()) return value.dump();
  return Fail(Code::kInvalidArgument,
              "request parameter `" + key + "` must be a string, number, boolean or list of them");
}

void AppendPair(std::string& out, const std::string& key, const std::string& value) {
  if (!out.empty()) out += '&';
  out += EncodeFormComponent(key);
  out += '=';
  out += EncodeFormComponent(value);
}

}  // namespace

std::string EncodePathSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  bool only_dots = !segment.empty() && segment.find_first_not_of('.') == std::string_view::npos;
  for (char ch : segment) {
    auto c = static_cast<unsigned char>(ch);
    if ((IsUnreserved(c) && !(only_dots && c == '.')) || c == ':' || c == '@') {
      out += ch;
    } else {
      AppendEscaped(out, c);
    }
  }
  return out;
}

std::string ApiPath(std::initializer_list<std::string_view> segments) {
  std::string path;
  for (std::string_view segment : segments) {
    path += '/';
    path += EncodePathSegment(segment);
  }
  return path;
}

std::string EncodeFormComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else {
      AppendEscaped(out, c);
    }
  }
  return out;
}

Result<std::string> EncodeForm(const Value& params) {
  if (params.is_null()) return std::string();
  if (!params.is_object()) return Fail(Code::kInvalidArgument, "request parameters must be a JSON object");
  std::string out;
  for (const auto& [key, value] : params.items()) {
    if (value.is_null()) continue;
    if (value.is_array()) {
      for (const Value& item : value) {
        auto text = ScalarText(key, item);
        if (!text) return Fail(text.error());
        AppendPair(out, key, *text);
      }
      continue;
    }
    auto text = ScalarText(key, value);
    if (!text) return Fail(text.error());
    AppendPair(out, key, *text);
  }
  return out;
}

}  // namespace hainfra::transport
