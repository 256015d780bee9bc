// Scrubs known secrets out of text before it leaves a transport (errors, log lines).
// Defence in depth: messages are built without secrets, but a server may echo one back.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hainfra::transport {

inline constexpr std::string_view kRedacted = "[redacted]";

class Redactor {
 public:
  // Adds a secret to scrub; empty and very short strings (< 4 chars) are ignored: they would mangle text.
  void Add(std::string_view secret);

  // Returns `text` with every known secret replaced by `[redacted]`. Thread-safe.
  std::string Scrub(std::string text) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
};

}  // namespace hainfra::transport
