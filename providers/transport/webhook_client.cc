#include "providers/transport/webhook_client.h"

#include <curl/curl.h>

#include <memory>

#include "providers/transport/api_client.h"
#include "providers/transport/redactor.h"

namespace hainfra::transport {
namespace {

struct WebhookCurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct WebhookSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Discards the answer's body, keeping at most a little (the receiver's message is not needed).
size_t WebhookDiscard(char*, size_t size, size_t count, void*) { return size * count; }

// Adds the secret-bearing parts of a target to `redactor`: the URL, its path and query, every header value.
void AddWebhookSecrets(const WebhookTarget& target, Redactor& redactor) {
  redactor.Add(target.url);
  const size_t scheme = target.url.find("://");
  const size_t path = scheme == std::string::npos ? std::string::npos : target.url.find('/', scheme + 3);
  if (path != std::string::npos) redactor.Add(target.url.substr(path + 1));
  if (const size_t at = target.url.find('@'); scheme != std::string::npos && at != std::string::npos) {
    redactor.Add(target.url.substr(scheme + 3, at - scheme - 3));
  }
  if (const size_t q = target.url.find('?'); q != std::string::npos) redactor.Add(target.url.substr(q + 1));
  for (const std::string& header : target.headers) {
    const size_t colon = header.find(':');
    if (colon == std::string::npos) continue;
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    redactor.Add(value);
    // "Bearer abc…": the token alone too
    if (const size_t space = value.find(' '); space != std::string::npos) redactor.Add(value.substr(space + 1));
  }
}

}  // namespace

std::string PublicUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "(not a URL)";
  size_t end = url.find_first_of("/?#", scheme + 3);
  std::string authority = url.substr(scheme + 3, end == std::string::npos ? std::string::npos : end - scheme - 3);
  if (const size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  return url.substr(0, scheme + 3) + authority + (end == std::string::npos ? "" : "/…");
}

Status CheckWebhookTarget(const WebhookTarget& target) {
  if (!target.url.starts_with("https://") && !target.url.starts_with("http://")) {
    return Fail(Code::kInvalidArgument, "--webhook: expected an http:// or https:// URL, got " + PublicUrl(target.url));
  }
  for (const std::string& header : target.headers) {
    const size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0 || header.find_first_of("\r\n") != std::string::npos) {
      return Fail(Code::kInvalidArgument, "--webhook-header: expected 'Name: value', got a header without a name "
                                          "(its value is not shown)");
    }
  }
  return Ok();
}

Status PostWebhook(const WebhookTarget& target, const std::string& json) {
  if (Status s = CheckWebhookTarget(target); !s) return s;
  InitApiTransport();
  const std::string shown = PublicUrl(target.url);
  std::unique_ptr<CURL, WebhookCurlDeleter> curl(curl_easy_init());
  if (!curl) return Fail(Code::kInternal, "webhook " + shown + ": curl_easy_init failed");
  std::unique_ptr<curl_slist, WebhookSlistDeleter> headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  for (const std::string& header : target.headers) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  char error_text[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(target.timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WebhookDiscard);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "hainfra/0.1");
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    Redactor redactor;
    AddWebhookSecrets(target, redactor);
    return Fail(Code::kUnavailable, "webhook " + shown + ": " + redactor.Scrub(detail));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    return Fail(Code::kUnavailable, "webhook " + shown + ": HTTP " + std::to_string(status));
  }
  return Ok();
}

}  // namespace hainfra::transport
