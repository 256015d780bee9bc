// Transport figures on loopback: API requests per second with keep-alive and a bounded pool (against a
// real HTTPS server), and SSH command latency on one reused session versus a new session per command
// (against a real sshd when installed). Prints figures; asserts nothing.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "providers/transport/api_client.h"
#include "providers/transport/ssh_client.h"
#include "tests/testing/https_test_server.h"
#include "tests/testing/sshd_fixture.h"

namespace {

using namespace hainfra;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

transport::ApiSettings Settings(const testing::HttpsTestServer& server, int max_connections) {
  transport::ApiSettings settings;
  settings.endpoint = server.endpoint();
  settings.token_id = "bench@pve!bench";
  settings.token_secret = transport::Secret("bench-secret");
  settings.tls_fingerprint = server.certificates().server_fingerprint;
  settings.max_connections = max_connections;
  return settings;
}

void BenchApi() {
  testing::HttpsTestServer server;
  hainfra::Value resources = hainfra::Value::array();
  for (int i = 0; i < 50; ++i) {
    resources.push_back({{"id", "qemu/" + std::to_string(100 + i)}, {"type", "qemu"}, {"node", "pve-01"},
                         {"status", "running"}, {"maxmem", 8589934592LL}, {"name", "vm-" + std::to_string(i)}});
  }
  const std::string body = hainfra::Value{{"data", resources}}.dump();
  server.SetHandler([&](const testing::RecordedRequest&, httplib::Response& res) {
    res.set_content(body, "application/json;charset=UTF-8");
  });

  {
    auto client = transport::ApiClient::Create(Settings(server, 8));
    const int n = 500;
    auto start = Clock::now();
    for (int i = 0; i < n; ++i) (void)(*client)->Get("/cluster/resources");
    double s = Seconds(start);
    std::printf("api sequential keep-alive: %d GETs in %.3f s = %.0f req/s (%.3f ms/req)\n", n, s, n / s, s * 1000 / n);
    std::printf("  %s\n", (*client)->Counters().Summary().c_str());
  }
  {
    const int n = 50;
    auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
      auto client = transport::ApiClient::Create(Settings(server, 1));
      (void)(*client)->Get("/cluster/resources");
    }
    double s = Seconds(start);
    std::printf("api new connection per request: %d GETs in %.3f s = %.0f req/s (%.3f ms/req)\n", n, s, n / s,
                s * 1000 / n);
  }
  for (int connections : {1, 4, 8}) {
    auto client = transport::ApiClient::Create(Settings(server, connections));
    const int threads = 16, per_thread = 100;
    auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i) (void)(*client)->Get("/cluster/resources");
      });
    }
    for (auto& w : workers) w.join();
    double s = Seconds(start);
    std::printf("api %d threads, max_connections=%d: %d GETs in %.3f s = %.0f req/s\n", threads, connections,
                threads * per_thread, s, threads * per_thread / s);
    std::printf("  %s\n", (*client)->Counters().Summary().c_str());
  }
}

void BenchSsh() {
  if (access("/usr/sbin/sshd", X_OK) != 0) {
    std::printf("ssh: /usr/sbin/sshd not installed (openssh-server): SSH figures skipped\n");
    return;
  }
  testing::SshdFixture sshd;
  if (!sshd.ok()) {
    std::printf("ssh: sshd did not start: %s\n", sshd.error().c_str());
    return;
  }
  auto client = transport::SshClient::Create(sshd.Settings());
  (void)(*client)->Run("pve-01", {"true"});  // connect once
  const int n = 200;
  auto start = Clock::now();
  for (int i = 0; i < n; ++i) (void)(*client)->Run("pve-01", {"true"});
  double s = Seconds(start);
  std::printf("ssh reused session: %d commands in %.3f s = %.2f ms/command\n", n, s, s * 1000 / n);

  const int m = 20;
  start = Clock::now();
  for (int i = 0; i < m; ++i) {
    (*client)->Disconnect("pve-01");
    (void)(*client)->Run("pve-01", {"true"});
  }
  s = Seconds(start);
  std::printf("ssh new session per command: %d commands in %.3f s = %.2f ms/command\n", m, s, s * 1000 / m);

  std::string content(8u << 20, 'x');
  start = Clock::now();
  auto changed = (*client)->WriteFileAtomic("pve-01", sshd.dir().File("bench.bin"), content);
  s = Seconds(start);
  std::printf("ssh atomic write of 8 MiB: %.3f s (%s)\n", s, changed ? "ok" : changed.error().message.c_str());
  start = Clock::now();
  changed = (*client)->WriteFileAtomic("pve-01", sshd.dir().File("bench.bin"), content);
  s = Seconds(start);
  std::printf("ssh atomic write, unchanged content: %.3f s (changed=%d)\n", s, changed && *changed ? 1 : 0);
  auto counters = (*client)->Counters();
  std::printf("  connects=%llu commands=%llu sent=%lluB received=%lluB\n",
              static_cast<unsigned long long>(counters.connects), static_cast<unsigned long long>(counters.commands),
              static_cast<unsigned long long>(counters.bytes_sent),
              static_cast<unsigned long long>(counters.bytes_received));
}

}  // namespace

int main() {
  transport::InitApiTransport();
  BenchApi();
  BenchSsh();
  return 0;
}
