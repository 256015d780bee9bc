#include "tests/testing/api_test_harness.h"

#include <gtest/gtest.h>

namespace hainfra::testing {

transport::ApiSettings ApiTestHarness::Settings() const {
  transport::ApiSettings settings;
  settings.endpoint = server.endpoint();
  settings.token_id = kTestTokenId;
  settings.token_secret = transport::Secret(kTestTokenSecret);
  settings.tls_fingerprint = server.certificates().server_fingerprint;
  settings.connect_timeout = std::chrono::seconds(5);
  settings.request_timeout = std::chrono::seconds(20);
  settings.retry.max_attempts = 4;
  settings.retry.base_delay = std::chrono::milliseconds(100);
  settings.retry.max_delay = std::chrono::milliseconds(1000);
  return settings;
}

transport::ApiHooks ApiTestHarness::Hooks() {
  transport::ApiHooks hooks;
  hooks.log = [this](transport::LogLevel, std::string_view line) {
    std::lock_guard lock(mu_);
    logs_.emplace_back(line);
  };
  hooks.now = [this] {
    std::lock_guard lock(mu_);
    return now_;
  };
  hooks.sleep = [this](std::chrono::milliseconds duration) {
    std::lock_guard lock(mu_);
    sleeps_.push_back(duration);
    now_ += duration;
  };
  hooks.random = [] { return 0.5; };
  return hooks;
}

std::unique_ptr<transport::ApiClient> ApiTestHarness::Client(transport::ApiSettings settings) {
  auto client = transport::ApiClient::Create(std::move(settings), Hooks());
  EXPECT_TRUE(client.has_value()) << (client ? "" : client.error().ToString());
  return client ? std::move(*client) : nullptr;
}

void ApiTestHarness::Advance(std::chrono::milliseconds by) {
  std::lock_guard lock(mu_);
  now_ += by;
}

std::vector<std::string> ApiTestHarness::Logs() const {
  std::lock_guard lock(mu_);
  return logs_;
}

std::vector<std::chrono::milliseconds> ApiTestHarness::Sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

}  // namespace hainfra::testing
