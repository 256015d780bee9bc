#include "sim/pvesim/perl_regex.h"

#include <cctype>
#include <iostream>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>

namespace pvesim {

std::string PerlToEcmaScript(const std::string& perl, bool* icase) {
  std::string out;
  *icase = false;
  bool in_class = false;
  for (size_t i = 0; i < perl.size(); ++i) {
    char c = perl[i];
    if (c == '\\' && i + 1 < perl.size()) {
      char n = perl[i + 1];
      // Escaped identifier characters other than the known classes are not valid ECMAScript escapes.
      if (n == '_') {
        out += '_';
      } else {
        out += c;
        out += n;
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A leading ']' or '^]' is literal inside a class.
      if (i + 1 < perl.size() && perl[i + 1] == '^') { out += '^'; ++i; }
      if (i + 1 < perl.size() && perl[i + 1] == ']') { out += "\\]"; ++i; }
      continue;
    }
    if (c == '(' && perl.compare(i, 3, "(?^") == 0) {
      // (?^:...) or (?^flags:...): a non-capturing group with reset flags.
      size_t colon = perl.find(':', i);
      std::string flags = perl.substr(i + 3, colon - (i + 3));
      if (flags.find('i') != std::string::npos) *icase = true;
      out += "(?:";
      i = colon;
      continue;
    }
    if (c == '(' && perl.compare(i, 3, "(?>") == 0) {  // atomic group: same language, plain group
      out += "(?:";
      i += 2;
      continue;
    }
    if (c == '{' && i + 1 < perl.size() && perl[i + 1] == ',') {  // Perl >= 5.34: {,n} == {0,n}
      out += "{0";
      continue;
    }
    out += c;
  }
  return out;
}

namespace {

struct Compiled {
  std::unique_ptr<std::regex> re;  // null when the pattern could not be compiled
};

std::mutex cache_mutex;
std::unordered_map<std::string, Compiled>& Cache() {
  static auto* cache = new std::unordered_map<std::string, Compiled>();
  return *cache;
}

const std::regex* Lookup(const std::string& pattern) {
  std::lock_guard<std::mutex> lock(cache_mutex);
  auto& cache = Cache();
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.re.get();
  Compiled compiled;
  bool icase = false;
  std::string ecma = PerlToEcmaScript(pattern, &icase);
  try {
    auto flags = std::regex::ECMAScript | std::regex::optimize;
    if (icase) flags |= std::regex::icase;
    compiled.re = std::make_unique<std::regex>("^(?:" + ecma + ")$", flags);
  } catch (const std::regex_error& e) {
    std::cerr << "pvesim: schema pattern not checked (std::regex: " << e.what() << "): " << pattern << "\n";
  }
  const std::regex* result = compiled.re.get();
  cache.emplace(pattern, std::move(compiled));
  return result;
}

}  // namespace

bool PerlFullMatch(const std::string& pattern, const std::string& value) {
  const std::regex* re = Lookup(pattern);
  if (re == nullptr) return true;
  // libstdc++'s matcher recurses per character; refuse absurd inputs rather than overflow the stack.
  if (value.size() > 65536) return false;
  if (std::regex_match(value, *re)) return true;
  if (!value.empty() && value.back() == '\n') return std::regex_match(value.substr(0, value.size() - 1), *re);
  return false;
}

}  // namespace pvesim
