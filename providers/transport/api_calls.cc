#include "providers/transport/api_client.h"

#include <algorithm>
#include <thread>

#include "providers/transport/api_client_impl.h"
#include "providers/transport/tls_fingerprint.h"

namespace hainfra::transport {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool IsLoopbackUrl(std::string_view url) {
  return url.find("://127.") != std::string_view::npos || url.find("://localhost") != std::string_view::npos ||
         url.find("://[::1]") != std::string_view::npos;
}

// Parameters whose values are credentials (a PBS or CIFS storage password, a user's password, an
// encryption key): their values join the redactor, so an echo of the request never shows them.
bool IsSecretParameter(std::string_view key) {
  return key.find("password") != std::string_view::npos || key.find("secret") != std::string_view::npos ||
         key == "otp" || key == "encryption-key" || key == "keyring" || key == "token";
}

}  // namespace

Result<Ticket> ApiClient::Impl::Login() {
  Request login;
  login.method = Method::kPost;
  login.path = "/access/ticket";
  login.params = {{"username", settings.ticket_user}, {"password", settings.password.Reveal()}};
  login.idempotent = true;  // a login changes nothing on the server
  auto envelope = Execute(login, AuthMode::kNone);
  login.params.clear();
  if (!envelope) return Fail(WithContext(envelope.error(), "login as " + settings.ticket_user));
  metrics.RecordLogin();
  auto ticket = ParseTicketAnswer(envelope->value("data", Value()), settings.ticket_user);
  if (ticket) {
    AddSecret(ticket->ticket);
    AddSecret(ticket->csrf);
  }
  return ticket;
}

Result<Value> ApiClient::Impl::Execute(const Request& request, AuthMode auth) {
  std::string context = std::string(MethodName(request.method)) + " " + request.path;
  auto form = EncodeForm(request.params);
  if (!form) return Fail(WithContext(form.error(), context));
  if (request.params.is_object()) {
    for (const auto& [key, value] : request.params.items()) {
      if (IsSecretParameter(key) && value.is_string()) AddSecret(value.get<std::string>());
    }
  }
  const bool idempotent = request.idempotent.value_or(request.method != Method::kPost);
  bool relogged = false;
  bool may_have_run = false;  // an earlier try was sent and its answer lost or failed server-side
  uint64_t rejected_generation = 0;
  for (int attempt = 1;; ++attempt) {
    Ticket t;
    if (auth == AuthMode::kTicket) {
      auto ticket = tickets.Get(Now(), rejected_generation, [this] { return Login(); });
      if (!ticket) {
        metrics.RecordFailure();
        return Fail(Error{ticket.error().code, redactor.Scrub(context + ": " + ticket.error().message)});
      }
      t = std::move(*ticket);
    }
    HttpOutcome outcome = Perform(request, *form, auth, t);
    if (outcome.transport == TransportFailure::kNone && outcome.status >= 200 && outcome.status < 300) {
      Value envelope = Value::parse(outcome.body, nullptr, /*allow_exceptions=*/false);
      if (envelope.is_discarded() || !envelope.is_object()) {
        metrics.RecordFailure();
        return Fail(Code::kInternal, context + ": HTTP " + std::to_string(outcome.status) +
                                         " with an answer that is not a JSON object");
      }
      return envelope;
    }
    // An expired or revoked ticket: log in again once, then repeat the request (not counted as a retry).
    if (auth == AuthMode::kTicket && outcome.transport == TransportFailure::kNone && outcome.status == 401 &&
        !relogged) {
      relogged = true;
      rejected_generation = t.generation;
      --attempt;
      continue;
    }
    MappedFailure failure = MapFailure(outcome);
    failure.error.message = redactor.Scrub(std::move(failure.error.message));
    // A change repeated after a try whose outcome is unknown: "does not exist" (a 404, or the 400 Proxmox
    // answers a DELETE of a network interface with), "already exists" or a digest mismatch may only say that
    // the first try did the work. That is no refusal and no reason to send it again: the outcome is unknown,
    // and the caller (the executor's retry) looks at the object again.
    const Code code = failure.error.code;
    if (may_have_run && request.method != Method::kGet &&
        (IsGone(failure.error) || code == Code::kAlreadyExists ||
         failure.error.message.find("detected modified configuration") != std::string::npos)) {
      metrics.RecordFailure();
      return Fail(Code::kUnavailable, failure.error.message + " (" + std::string(kAfterLostAnswer) + ")");
    }
    if (attempt < settings.retry.max_attempts && ShouldRetry(idempotent, failure.facts)) {
      milliseconds delay = BackoffDelay(settings.retry, attempt, Random());
      if (hooks.log) {
        hooks.log(LogLevel::kInfo, failure.error.message + "; retry " + std::to_string(attempt) + " of " +
                                       std::to_string(settings.retry.max_attempts - 1) + " in " +
                                       std::to_string(delay.count()) + " ms");
      }
      metrics.RecordRetry();
      if (!failure.facts.not_sent) may_have_run = true;
      if (hooks.sleep) {
        hooks.sleep(delay);
      } else {
        std::this_thread::sleep_for(delay);
      }
      continue;
    }
    metrics.RecordFailure();
    return Fail(std::move(failure.error));
  }
}

Result<std::unique_ptr<ApiClient>> ApiClient::Create(ApiSettings settings, ApiHooks hooks) {
  InitApiTransport();
  if (!settings.tls_fingerprint.empty()) {
    auto fp = NormalizeFingerprint(settings.tls_fingerprint);
    if (!fp) return Fail(Code::kInvalidArgument, "cluster.api." + fp.error().message);
    settings.tls_fingerprint = *fp;
  }
  if (auto st = ValidateApiSettings(settings); !st) return Fail(st.error());
  auto base = ApiBaseUrl(settings.endpoint);
  if (!base) return Fail(base.error());
  auto impl = std::make_unique<Impl>(std::move(settings), std::move(hooks), *base);
  impl->AddSecret(impl->settings.token_secret.Reveal());
  impl->AddSecret(impl->settings.password.Reveal());
  std::unique_ptr<ApiClient> client(new ApiClient(std::move(impl)));
  const ApiSettings& s = client->settings();
  if (s.insecure && s.tls_fingerprint.empty()) {
    client->Log(LogLevel::kWarning,
                "TLS certificate verification is OFF for " + s.endpoint +
                    " (insecure): anyone on the network path can pose as the cluster and take the API "
                    "credentials. Pin the certificate instead: tls_fingerprint / HAINFRA_TLS_FINGERPRINT.");
  } else if (s.insecure) {
    client->Log(LogLevel::kWarning, "insecure is ignored for " + s.endpoint +
                                        ": the pinned tls_fingerprint is verified instead");
  }
  if (client->impl_->base_url.starts_with("http://") && !IsLoopbackUrl(client->impl_->base_url)) {
    client->Log(LogLevel::kWarning, "the API endpoint " + s.endpoint +
                                        " is plain http: credentials cross the network unencrypted");
  }
  return client;
}

ApiClient::ApiClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiClient::~ApiClient() = default;

Result<Value> ApiClient::SendForEnvelope(const Request& request) {
  if (request.auth == Auth::kNone) return impl_->Execute(request, AuthMode::kNone);
  const bool use_ticket = request.auth == Auth::kTicket || !impl_->settings.HasToken();
  if (use_ticket && !impl_->settings.HasPassword()) {
    return Fail(Code::kInvalidArgument, std::string(MethodName(request.method)) + " " + request.path +
                                            " needs a " + impl_->settings.ticket_user +
                                            " ticket, but no password is set (HAINFRA_API_PASSWORD)");
  }
  return impl_->Execute(request, use_ticket ? AuthMode::kTicket : AuthMode::kToken);
}

Result<Value> ApiClient::Send(const Request& request) {
  auto envelope = SendForEnvelope(request);
  if (!envelope) return envelope;
  auto data = envelope->find("data");
  if (data == envelope->end()) return Value();
  return std::move(*data);
}

Result<Value> ApiClient::Get(std::string_view path, const Value& params) {
  return Send(Request{Method::kGet, std::string(path), params, Auth::kDefault, std::nullopt, std::nullopt});
}
Result<Value> ApiClient::Post(std::string_view path, const Value& params) {
  return Send(Request{Method::kPost, std::string(path), params, Auth::kDefault, std::nullopt, std::nullopt});
}
Result<Value> ApiClient::Put(std::string_view path, const Value& params) {
  return Send(Request{Method::kPut, std::string(path), params, Auth::kDefault, std::nullopt, std::nullopt});
}
Result<Value> ApiClient::Delete(std::string_view path, const Value& params) {
  return Send(Request{Method::kDelete, std::string(path), params, Auth::kDefault, std::nullopt, std::nullopt});
}

Result<TaskResult> ApiClient::WaitTask(std::string_view upid, std::chrono::milliseconds timeout,
                                       const std::function<void(std::string_view)>& progress) {
  TaskWaitOptions options;
  options.timeout = timeout;
  if (impl_->settings.task_timeout.count() > 0) options.timeout = std::min(timeout, impl_->settings.task_timeout);
  if (progress) options.progress = [&](std::string_view line) { progress(Scrub(std::string(line))); };
  auto result = WaitForTask(*this, upid, options);
  // Exit statuses and task logs are the server's text: scrub them like every other message.
  if (!result) return Fail(Error{result.error().code, Scrub(std::move(result.error().message))});
  for (std::string& line : result->log_tail) line = Scrub(std::move(line));
  return result;
}

std::string ApiClient::Scrub(std::string text) const { return impl_->redactor.Scrub(std::move(text)); }

ApiCounters ApiClient::Counters() const { return impl_->metrics.Snapshot(); }
const ApiSettings& ApiClient::settings() const { return impl_->settings; }

std::chrono::steady_clock::time_point ApiClient::Now() const { return impl_->Now(); }

void ApiClient::Sleep(std::chrono::milliseconds duration) const {
  if (impl_->hooks.sleep) {
    impl_->hooks.sleep(duration);
  } else {
    std::this_thread::sleep_for(duration);
  }
}

void ApiClient::Log(LogLevel level, std::string line) const {
  if (impl_->hooks.log) impl_->hooks.log(level, impl_->redactor.Scrub(std::move(line)));
}

}  // namespace hainfra::transport
