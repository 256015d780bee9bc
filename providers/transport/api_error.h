// The one place where a failed PVE API attempt becomes a hainfra Error: HTTP status and Proxmox's message
// (status line, `message`, per-parameter `errors`) -> Code, plus the facts the retry policy needs.
#pragma once

#include <string>
#include <string_view>

#include "hainfra/result.h"
#include "providers/transport/retry_policy.h"

namespace hainfra::transport {

// How an attempt failed below HTTP (api_client.cc translates curl's codes into these).
enum class TransportFailure {
  kNone,            // an HTTP answer arrived
  kConnect,         // could not resolve or connect: the request was not sent
  kConnectTimeout,  // the connect timeout elapsed: the request was not sent
  kTimeout,         // the request timeout elapsed after the request was sent
  kConnectionLost,  // the connection broke after the request was sent (no or partial answer)
  kTlsVerify,       // the certificate chain or host name did not verify
  kTlsPinMismatch,  // the certificate does not match the pinned fingerprint
  kTls,             // another TLS handshake failure
  kTooLarge,        // the answer exceeded the size limit
  kOther,           // anything else (a bug on our side: malformed URL, out of memory)
};

// One attempt, as seen by the client.
struct HttpOutcome {
  std::string method;  // "GET"
  std::string path;    // "/nodes/pve-01/qemu" (never the query or body: parameters can be secret)
  TransportFailure transport = TransportFailure::kNone;
  std::string transport_detail;  // curl's own description, for the message
  long status = 0;               // HTTP status when transport == kNone
  std::string reason;            // the status line's reason phrase (Proxmox puts its message there)
  std::string body;              // the answer's body (JSON envelope with `message` / `errors`)
};

struct MappedFailure {
  Error error;
  AttemptFailure facts;
};

// Maps a failed attempt (transport failure or a non-2xx status):
//   400 -> kInvalidArgument (with each parameter error), 401 -> kPermissionDenied (authentication),
//   403 -> kPermissionDenied (authorization), 404 and 501 -> kNotFound,
//   500 "… already exists" -> kAlreadyExists, 500 "… does not exist" -> kNotFound,
//   "can't lock file … got timeout" / other 5xx / lost connections / timeouts -> kUnavailable,
//   TLS refusals -> kPermissionDenied; other 4xx -> kInvalidArgument.
// The message is "METHOD PATH: HTTP status: Proxmox's message" and never contains request parameters.
MappedFailure MapFailure(const HttpOutcome& outcome);

// Proxmox's message for a failed answer: the body's `message` (or the reason phrase), then its per-parameter
// `errors` as "name: text" pairs; trimmed of Proxmox's trailing newlines.
std::string ProxmoxMessage(std::string_view reason, std::string_view body);

// "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout" and its relatives.
bool IsLockTimeout(std::string_view message);

// An object Proxmox says is not there: kNotFound, or its HTTP 500 "... does not exist" (a guest's config
// on a node that does not hold it, a pool, an interface).
bool IsGone(const Error& error);

// Appended to a change request's failure when an earlier try of it was sent and its answer lost: a
// "does not exist", "already exists" or digest mismatch may then be that try's own work, so the failure is
// kUnavailable (outcome unknown) and the executor's retry looks at the object again (docs/faults.md).
inline constexpr std::string_view kAfterLostAnswer = "after a try whose answer was lost: it may have done the work already";

// True for an error that carries kAfterLostAnswer.
bool AfterLostAnswer(const Error& error);

}  // namespace hainfra::transport
