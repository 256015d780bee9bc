#include "providers/transport/api_error.h"

#include "hainfra/value.h"

namespace hainfra::transport {

namespace {

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

bool Contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string Prefix(const HttpOutcome& outcome) { return outcome.method + " " + outcome.path + ": "; }

MappedFailure FromTransport(const HttpOutcome& outcome) {
  std::string detail = outcome.transport_detail.empty() ? "" : " (" + outcome.transport_detail + ")";
  auto make = [&](Code code, std::string text, bool not_sent = false) {
    return MappedFailure{Error{code, Prefix(outcome) + text + detail}, AttemptFailure{code, false, not_sent}};
  };
  switch (outcome.transport) {
    case TransportFailure::kConnect:
      return make(Code::kUnavailable, "cannot connect to the Proxmox API", true);
    case TransportFailure::kConnectTimeout:
      return make(Code::kUnavailable, "connecting to the Proxmox API timed out", true);
    case TransportFailure::kTimeout:
      return make(Code::kUnavailable, "no answer before the request timeout");
    case TransportFailure::kConnectionLost:
      return make(Code::kUnavailable, "the connection was lost before a complete answer arrived");
    case TransportFailure::kTlsVerify:
      return make(Code::kPermissionDenied,
                  "the server's TLS certificate is not trusted; pin its fingerprint (tls_fingerprint, "
                  "HAINFRA_TLS_FINGERPRINT) or name its CA (ca_file, HAINFRA_CA_FILE)");
    case TransportFailure::kTlsPinMismatch:
      return make(Code::kPermissionDenied,
                  "the server's TLS certificate does not match the pinned fingerprint; refusing to send "
                  "credentials (a changed certificate or a man in the middle)");
    case TransportFailure::kTls:
      return make(Code::kUnavailable, "the TLS handshake failed");
    case TransportFailure::kTooLarge:
      return make(Code::kInternal, "the answer is larger than the client accepts");
    case TransportFailure::kOther:
    case TransportFailure::kNone:
      break;
  }
  return make(Code::kInternal, "the request failed");
}

}  // namespace

bool AfterLostAnswer(const Error& error) { return Contains(error.message, kAfterLostAnswer); }

bool IsLockTimeout(std::string_view message) {
  return Contains(message, "can't lock file") && Contains(message, "got timeout");
}

bool IsGone(const Error& error) {
  return error.code == Code::kNotFound || Contains(error.message, "does not exist");
}

std::string ProxmoxMessage(std::string_view reason, std::string_view body) {
  std::string message;
  std::string errors;
  Value envelope = Value::parse(body, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_object()) {
    auto it = envelope.find("message");
    if (it != envelope.end() && it->is_string()) message = Trim(it->get<std::string>());
    auto errs = envelope.find("errors");
    if (errs != envelope.end() && errs->is_object()) {
      for (const auto& [name, text] : errs->items()) {
        if (!errors.empty()) errors += "; ";
        errors += name + ": " + (text.is_string() ? Trim(text.get<std::string>()) : text.dump());
      }
    }
  }
  if (message.empty()) message = Trim(reason);
  if (!errors.empty()) message += message.empty() ? errors : ": " + errors;
  return message;
}

MappedFailure MapFailure(const HttpOutcome& outcome) {
  if (outcome.transport != TransportFailure::kNone) return FromTransport(outcome);

  const long status = outcome.status;
  std::string pve = ProxmoxMessage(outcome.reason, outcome.body);
  std::string head = Prefix(outcome) + "HTTP " + std::to_string(status);
  auto make = [&](Code code, std::string text, bool lock_timeout = false) {
    return MappedFailure{Error{code, head + ": " + text}, AttemptFailure{code, lock_timeout, false}};
  };
  std::string quoted = pve.empty() ? "" : " (" + pve + ")";

  if (status == 400) return make(Code::kInvalidArgument, pve.empty() ? "bad request" : pve);
  if (status == 401) {
    return make(Code::kPermissionDenied, "authentication failed" + quoted +
                                             ": the API token/secret or the password was rejected");
  }
  if (status == 403) {
    // "Permission check failed (/vms/100, VM.Allocate)": name the privilege and the path it is needed on.
    const std::string kCheck = "Permission check failed (";
    if (pve.starts_with(kCheck) && pve.ends_with(")")) {
      std::string what = pve.substr(kCheck.size(), pve.size() - kCheck.size() - 1);
      auto comma = what.find(", ");
      if (comma != std::string::npos && what.starts_with("/")) {
        return make(Code::kPermissionDenied,
                    "permission denied" + quoted + ": the credentials are valid but lack a privilege for this call: `" +
                        what.substr(comma + 2) + "` on `" + what.substr(0, comma) +
                        "` (grant it to hainfra's role: docs/privileges.md, `hainfra bootstrap-token`)");
      }
    }
    return make(Code::kPermissionDenied, "permission denied" + quoted +
                                             ": the credentials are valid but lack a privilege for this call");
  }
  if (status == 404) return make(Code::kNotFound, pve.empty() ? "not found" : pve);
  if (status == 429) {
    // Too Many Requests (a rate limit in front of pveproxy): refused before any handler ran, so nothing was
    // done and even a POST may be sent again after the backoff.
    return MappedFailure{Error{Code::kUnavailable, head + ": too many requests" + quoted},
                         AttemptFailure{Code::kUnavailable, false, /*not_sent=*/true}};
  }
  if (status == 501) {
    return make(Code::kNotFound, "this Proxmox version has no such endpoint" + quoted);
  }
  if (status >= 500) {
    if (IsLockTimeout(pve)) return make(Code::kUnavailable, pve, /*lock_timeout=*/true);
    if (Contains(pve, "already exists")) return make(Code::kAlreadyExists, pve);
    if (Contains(pve, "does not exist") || Contains(pve, "no such ")) return make(Code::kNotFound, pve);
    // A component the node lacks ("binary not installed: /usr/bin/ceph-mon", Ceph "not initialized"): asking
    // again cannot change it, so it is no transient failure and is not retried.
    if (Contains(pve, "not installed") || Contains(pve, "not initialized")) {
      return make(Code::kFailedPrecondition, pve);
    }
    return make(Code::kUnavailable, pve.empty() ? "server error" : pve);
  }
  if (status >= 400) return make(Code::kInvalidArgument, pve.empty() ? "request refused" : pve);
  return make(Code::kInternal, "unexpected HTTP status" + quoted);
}

}  // namespace hainfra::transport
