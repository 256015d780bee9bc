// A secret string (API token secret, password, ticket): it can be handed around but never printed.
// Only Reveal() gives the text, so a secret cannot reach a message or log line by accident.
#pragma once

#include <string>
#include <string_view>

namespace hainfra::transport {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(const Secret&) = default;
  Secret& operator=(Secret&&) noexcept = default;
  // Wipes the text (best effort: copies made by callers of Reveal() are theirs to keep short-lived).
  ~Secret();

  // The plain text, for the one place that must send it (an HTTP header, a login form).
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace hainfra::transport
