// Keep-alive reuse and bounded concurrency, counted by the server (distinct client ports, in-flight peak).
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

TEST(ApiClientPool, SequentialRequestsShareOneConnection) {
  ApiTestHarness h;
  auto client = h.Client();
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(client->Get("/nodes"));
  EXPECT_EQ(h.server.RequestCount(), 25u);
  EXPECT_EQ(h.server.ConnectionCount(), 1u);
  EXPECT_EQ(client->Counters().connections, 1u);
}

TEST(ApiClientPool, ParallelRequestsUseAtMostMaxConnections) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // keep requests overlapping
    HttpsTestServer::Reply(res, 200, Envelope("ok"));
  });
  auto settings = h.Settings();
  settings.max_connections = 3;
  auto client = h.Client(settings);
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!client->Get("/cluster/resources")) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(h.server.RequestCount(), 80u);
  EXPECT_LE(h.server.ConnectionCount(), 3u);
  EXPECT_LE(h.server.MaxConcurrency(), 3);
  EXPECT_GE(h.server.MaxConcurrency(), 2) << "the pool should let requests run in parallel";
  EXPECT_LE(client->Counters().connections, 3u);
}

TEST(ApiClientPool, ManyThreadsWithDefaultSettingsAllSucceed) {
  ApiTestHarness h;
  auto client = h.Client();
  std::vector<std::thread> workers;
  std::atomic<int> ok{0};
  for (int t = 0; t < 16; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        if (client->Put("/nodes/pve-01/qemu/" + std::to_string(100 + t) + "/config", {{"cores", i + 1}})) ++ok;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(ok.load(), 80);
  EXPECT_LE(h.server.ConnectionCount(), 8u);
}

}  // namespace
}  // namespace hainfra::transport
