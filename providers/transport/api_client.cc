#include "providers/transport/api_client.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mutex>

#include "providers/transport/api_client_impl.h"
#include "providers/transport/api_path.h"
#include "providers/transport/bounded_pool.h"
#include "providers/transport/tls_fingerprint.h"

namespace hainfra::transport {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

// What the pinning verify callback saw. It belongs to the pooled handle, not to one request, because the
// handle's connections (and so their TLS sessions) live as long as the handle.
struct PinCheck {
  std::string expected;
  std::string presented;
  bool mismatch = false;
};

// A pooled curl handle (named, not file-local: CurlPool holds them).
struct PooledHandle {
  CurlPtr curl;
  PinCheck pin;
};

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUserAgent[] = "hainfra/0.1";

using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// Replaces OpenSSL's chain verification: a pinned certificate is trusted exactly, whoever signed it (the
// usual self-signed PVE node certificate), and nothing else is. Runs before curl sends any credential.
int VerifyPinnedCertificate(X509_STORE_CTX* store, void* arg) {
  auto* pin = static_cast<PinCheck*>(arg);
  X509* cert = X509_STORE_CTX_get0_cert(store);
  unsigned char* der = nullptr;
  int length = cert == nullptr ? -1 : i2d_X509(cert, &der);
  if (length <= 0) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  pin->presented = FingerprintOfDer(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
  OPENSSL_free(der);
  pin->mismatch = pin->presented != pin->expected;
  X509_STORE_CTX_set_error(store, pin->mismatch ? X509_V_ERR_CERT_REJECTED : X509_V_OK);
  return pin->mismatch ? 0 : 1;
}

CURLcode InstallPinCheck(CURL* /*curl*/, void* ssl_ctx, void* arg) {
  SSL_CTX_set_cert_verify_callback(static_cast<SSL_CTX*>(ssl_ctx), VerifyPinnedCertificate, arg);
  return CURLE_OK;
}

struct Capture {
  std::string body;
  std::string reason;
  size_t limit = 0;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* capture = static_cast<Capture*>(user);
  size_t bytes = size * count;
  if (capture->body.size() + bytes > capture->limit) {
    capture->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  capture->body.append(data, bytes);
  return bytes;
}

// Keeps the reason phrase of the last status line ("HTTP/1.1 500 can't lock file …"): Proxmox puts its
// error message there, and older versions put it nowhere else.
size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* capture = static_cast<Capture*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    size_t code = line.find(' ');
    size_t reason = code == std::string_view::npos ? code : line.find(' ', code + 1);
    capture->reason = reason == std::string_view::npos ? "" : std::string(line.substr(reason + 1));
    while (!capture->reason.empty() && (capture->reason.back() == '\r' || capture->reason.back() == '\n')) {
      capture->reason.pop_back();
    }
  }
  return size * count;
}

// The one translation of curl's codes (see api_error.h for what each failure becomes).
TransportFailure ClassifyCurl(CURLcode code, bool request_started, bool pin_mismatch, bool too_large) {
  if (pin_mismatch) return TransportFailure::kTlsPinMismatch;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportFailure::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return request_started ? TransportFailure::kTimeout : TransportFailure::kConnectTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TransportFailure::kTlsVerify;
    case CURLE_SSL_CONNECT_ERROR:
      return TransportFailure::kTls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return TransportFailure::kConnectionLost;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      return too_large ? TransportFailure::kTooLarge : TransportFailure::kOther;
    default:
      return TransportFailure::kOther;
  }
}

// Appends a header built around a secret, then wipes the temporary text.
void AppendSecretHeader(SlistPtr& headers, std::string text) {
  headers.reset(curl_slist_append(headers.release(), text.c_str()));
  OPENSSL_cleanse(text.data(), text.size());
}

}  // namespace

void InitApiTransport() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet: return "GET";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kDelete: return "DELETE";
  }
  return "GET";
}

struct CurlPool {
  explicit CurlPool(int max)
      : handles(max, [] {
          auto handle = std::make_unique<PooledHandle>();
          handle->curl.reset(curl_easy_init());
          return handle;
        }) {}
  BoundedPool<PooledHandle> handles;
};

void CurlPoolDeleter::operator()(CurlPool* pool) const { delete pool; }

std::unique_ptr<CurlPool, CurlPoolDeleter> MakeCurlPool(int max_connections) {
  return std::unique_ptr<CurlPool, CurlPoolDeleter>(new CurlPool(max_connections));
}

HttpOutcome ApiClient::Impl::Perform(const Request& request, const std::string& form, AuthMode auth,
                                     const Ticket& t) {
  HttpOutcome outcome;
  outcome.method = std::string(MethodName(request.method));
  outcome.path = request.path;
  auto lease = curl_pool->handles.Acquire();
  if (!lease->curl) {
    outcome.transport = TransportFailure::kOther;
    outcome.transport_detail = "curl_easy_init failed";
    return outcome;
  }
  CURL* curl = lease->curl.get();
  curl_easy_reset(curl);  // keeps the live connection, drops every option of the previous request

  const bool body_method = request.method == Method::kPost || request.method == Method::kPut;
  std::string url = base_url + request.path;
  if (!body_method && !form.empty()) url += "?" + form;

  Capture capture;
  capture.limit = settings.max_response_bytes;
  char error_text[CURL_ERROR_SIZE] = {};
  auto timeout = request.timeout.value_or(settings.request_timeout);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &capture);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &capture);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));

  lease->pin.mismatch = false;
  lease->pin.presented.clear();
  if (!settings.tls_fingerprint.empty()) {
    lease->pin.expected = settings.tls_fingerprint;
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);  // the pin names the certificate exactly
    // Fail closed: a libcurl without an OpenSSL backend cannot run the pin check, so nothing is sent.
    if (curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, InstallPinCheck) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &lease->pin) != CURLE_OK) {
      outcome.transport = TransportFailure::kOther;
      outcome.transport_detail = "this libcurl cannot verify a pinned certificate (no OpenSSL backend)";
      return outcome;
    }
    // A resumed TLS session skips certificate verification: always verify the pin in a full handshake.
    curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    // The pin replaces chain verification: loading the system CA bundle would only cost time.
    curl_easy_setopt(curl, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
  } else if (settings.insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings.ca_file.c_str());
  }

  SlistPtr headers;
  headers.reset(curl_slist_append(headers.release(), "Accept: application/json"));
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  if (auth == AuthMode::kToken) {
    AppendSecretHeader(headers, "Authorization: PVEAPIToken=" + settings.token_id + "=" +
                                    settings.token_secret.Reveal());
  } else if (auth == AuthMode::kTicket) {
    AppendSecretHeader(headers, "Cookie: PVEAuthCookie=" + EncodeFormComponent(t.ticket));
    if (request.method != Method::kGet) AppendSecretHeader(headers, "CSRFPreventionToken: " + t.csrf);
  }
  if (body_method) {
    headers.reset(curl_slist_append(headers.release(), "Content-Type: application/x-www-form-urlencoded"));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  // libcurl sends a request again on its own when a reused keep-alive connection dies before any answer
  // byte — also after the server ran it (a lost answer). A request that must not run twice (a POST; a PUT
  // carrying a digest) goes on a fresh connection, where libcurl never does that (docs/faults.md).
  if (!request.idempotent.value_or(request.method != Method::kPost)) curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);

  switch (request.method) {
    case Method::kGet:
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      break;
    case Method::kPost:
    case Method::kPut:
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form.size()));
      if (request.method == Method::kPut) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
      break;
    case Method::kDelete:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
  }

  CURLcode code = curl_easy_perform(curl);

  long status = 0, header_bytes = 0, request_bytes = 0, connects = 0;
  curl_off_t total_us = 0, upload = 0, download = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &header_bytes);
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &upload);
  curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &download);
  metrics.RecordAttempt(static_cast<uint64_t>(total_us), static_cast<uint64_t>(request_bytes + upload),
                        static_cast<uint64_t>(header_bytes + download), static_cast<uint64_t>(connects));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // error_text dies with this frame

  if (code != CURLE_OK) {
    // Request bytes on the wire mean the server may have acted on it; none means it never left.
    const bool request_started = request_bytes > 0 || upload > 0;
    outcome.transport = ClassifyCurl(code, request_started, lease->pin.mismatch, capture.too_large);
    outcome.transport_detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    if (outcome.transport == TransportFailure::kTlsPinMismatch) {
      outcome.transport_detail = "server presented " + lease->pin.presented + ", pinned " + lease->pin.expected;
    }
    return outcome;
  }
  outcome.status = status;
  outcome.reason = std::move(capture.reason);
  outcome.body = std::move(capture.body);
  return outcome;
}

}  // namespace hainfra::transport
