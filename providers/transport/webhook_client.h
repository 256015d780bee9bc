// A webhook POST (libcurl): one JSON body to one URL with extra headers, TLS verified with the system's
// CA store. The URL's secret parts (user info, path, query: Slack-style URLs carry the secret in the
// path) and the header values never appear in a message: errors name the URL as scheme://host/…
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::transport {

struct WebhookTarget {
  std::string url;                   // http:// or https://
  std::vector<std::string> headers;  // "Name: value" (e.g. "Authorization: Bearer …")
  std::chrono::milliseconds timeout{10'000};
};

// "https://hooks.example:8443/…": scheme and authority without user info; the path, if any, as "…".
std::string PublicUrl(const std::string& url);

// kInvalidArgument for a header without "Name:" or a URL that is not http(s); otherwise Ok.
Status CheckWebhookTarget(const WebhookTarget& target);

// POSTs `json` (Content-Type: application/json). A 2xx answer is Ok; anything else kUnavailable naming the
// public URL and the status (no secret in the message).
Status PostWebhook(const WebhookTarget& target, const std::string& json);

}  // namespace hainfra::transport
