// pvesim's error type: an API failure as Proxmox reports it (HTTP status, message, per-parameter errors).
// Handlers return Result<T>; the HTTP layer turns the error branch into Proxmox's envelope.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <utility>

namespace pvesim {

struct ApiError {
  int status = 500;
  // Proxmox keeps the trailing newline of `die "...\n"` in the JSON `message`; so do we.
  std::string message;
  std::map<std::string, std::string> errors;  // parameter -> text (HTTP 400 only)
  // Errors raised while authenticating go out without a JSON body (pve-http-server sends a bare status).
  bool bare = false;
};

template <typename T>
using Result = std::expected<T, ApiError>;
using Status = std::expected<void, ApiError>;

inline Status Ok() { return {}; }

// Ensures Proxmox's trailing newline on a message.
inline std::string WithNewline(std::string message) {
  if (message.empty() || message.back() != '\n') message += '\n';
  return message;
}

// A plain `die "...\n"` in Proxmox code: HTTP 500.
inline std::unexpected<ApiError> Die(std::string message) {
  return std::unexpected<ApiError>(ApiError{500, WithNewline(std::move(message)), {}, false});
}

// `raise(msg, code => N)`.
inline std::unexpected<ApiError> Raise(int status, std::string message) {
  return std::unexpected<ApiError>(ApiError{status, WithNewline(std::move(message)), {}, false});
}

// `raise_param_exc({...})`: HTTP 400 "Parameter verification failed." with per-parameter errors.
inline std::unexpected<ApiError> ParamError(std::map<std::string, std::string> errors) {
  return std::unexpected<ApiError>(ApiError{400, "Parameter verification failed.\n", std::move(errors), false});
}

inline std::unexpected<ApiError> ParamError(const std::string& param, std::string text) {
  return ParamError(std::map<std::string, std::string>{{param, std::move(text)}});
}

// `raise_perm_exc(what)`: HTTP 403 "Permission check failed (what)".
inline std::unexpected<ApiError> PermissionError(const std::string& what = "") {
  std::string msg = "Permission check failed";
  if (!what.empty()) msg += " (" + what + ")";
  return Raise(403, msg);
}

inline std::unexpected<ApiError> Fail(ApiError error) { return std::unexpected<ApiError>(std::move(error)); }

}  // namespace pvesim
