#include "providers/transport/task_waiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

constexpr char kUpid[] = "UPID:pve-02:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:hainfra@pve!ci:";

// A node that reports the task running `running_polls` times, then stopped with `exit_status`; its log
// has `log_lines` lines "line 1" … "line N" and honours start/limit like Proxmox.
void ServeTask(ApiTestHarness& h, int running_polls, const std::string& exit_status, int log_lines) {
  auto polls = std::make_shared<std::atomic<int>>(0);
  h.server.SetHandler([=](const RecordedRequest& req, httplib::Response& res) {
    std::string base = std::string("/api2/json/nodes/pve-02/tasks/") + kUpid;
    if (req.path == base + "/status") {
      Value data = {{"upid", kUpid}, {"node", "pve-02"}, {"type", "qmcreate"}, {"id", "100"}};
      if ((*polls)++ < running_polls) {
        data["status"] = "running";
      } else {
        data["status"] = "stopped";
        data["exitstatus"] = exit_status;
      }
      HttpsTestServer::Reply(res, 200, Envelope(data));
    } else if (req.path == base + "/log") {
      int start = std::stoi(req.form.count("start") ? req.form.at("start") : "0");
      int limit = std::stoi(req.form.count("limit") ? req.form.at("limit") : "50");
      Value lines = Value::array();
      for (int n = start + 1; n <= std::min(log_lines, start + limit); ++n) {
        lines.push_back({{"n", n}, {"t", "line " + std::to_string(n)}});
      }
      HttpsTestServer::Reply(res, 200, {{"data", lines}, {"total", log_lines}});
    } else {
      HttpsTestServer::Reply(res, 404, {{"data", nullptr}}, "no such path");
    }
  });
}

TEST(TaskWaiter, PollsTheNodeNamedInTheUpidUntilOk) {
  ApiTestHarness h;
  ServeTask(h, 3, "OK", 5);
  auto client = h.Client();
  auto result = client->WaitTask(kUpid, std::chrono::minutes(1));
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->exit_status, "OK");
  EXPECT_EQ(result->warnings, 0);
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].target, std::string("/api2/json/nodes/pve-02/tasks/") +
                                    "UPID:pve-02:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:hainfra@pve%21ci:/status");
  // Polls back off: 100 ms, 150 ms, 225 ms.
  auto sleeps = h.Sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_EQ(sleeps[0].count(), 100);
  EXPECT_EQ(sleeps[1].count(), 150);
  EXPECT_EQ(sleeps[2].count(), 225);
}

TEST(TaskWaiter, ProgressLinesOfARunningTaskAreReportedOnceEach) {
  ApiTestHarness h;
  auto polls = std::make_shared<std::atomic<int>>(0);
  h.server.SetHandler([=](const RecordedRequest& req, httplib::Response& res) {
    std::string base = std::string("/api2/json/nodes/pve-02/tasks/") + kUpid;
    const std::vector<std::string> log = {"downloading https://example.org/x.iso", "  1024K ........ 50%  112M 1s",
                                          "  2048K ........ 100%  112M 0s", "calculating checksum...OK, checksum verified"};
    if (req.path == base + "/status") {
      const bool running = (*polls)++ < 2;
      Value data = {{"upid", kUpid}, {"status", running ? "running" : "stopped"}};
      if (!running) data["exitstatus"] = "OK";
      HttpsTestServer::Reply(res, 200, Envelope(data));
    } else if (req.path == base + "/log") {
      const size_t start = std::stoul(req.form.count("start") ? req.form.at("start") : "0");
      Value lines = Value::array();
      for (size_t n = start; n < log.size(); ++n) lines.push_back({{"n", n + 1}, {"t", log[n]}});
      HttpsTestServer::Reply(res, 200, {{"data", lines}, {"total", log.size()}});
    } else {
      HttpsTestServer::Reply(res, 404, {{"data", nullptr}}, "no such path");
    }
  });
  auto client = h.Client();
  std::vector<std::string> seen;
  auto result = client->WaitTask(kUpid, std::chrono::minutes(1), [&](std::string_view line) { seen.emplace_back(line); });
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"  1024K ........ 50%  112M 1s", "  2048K ........ 100%  112M 0s"}));
}

TEST(TaskWaiter, WarningsAreSuccessWithTheirCountAndLog) {
  ApiTestHarness h;
  ServeTask(h, 0, "WARNINGS: 2", 4);
  auto client = h.Client();
  auto result = client->WaitTask(kUpid, std::chrono::minutes(1));
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->warnings, 2);
  EXPECT_EQ(result->log_tail, (std::vector<std::string>{"line 1", "line 2", "line 3", "line 4"}));
}

TEST(TaskWaiter, FailureCarriesTheExitStatusAndTheTailOfALongLog) {
  ApiTestHarness h;
  ServeTask(h, 1, "unable to create VM 100 - storage 'ceph-vm' does not exist", 100);
  auto client = h.Client();
  auto result = client->WaitTask(kUpid, std::chrono::minutes(1));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kFailedPrecondition);
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("task qmcreate 100 on pve-02"), std::string::npos) << message;
  EXPECT_NE(message.find("storage 'ceph-vm' does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("line 100"), std::string::npos) << message;
  EXPECT_NE(message.find("line 81"), std::string::npos) << message;
  EXPECT_EQ(message.find("line 80\n"), std::string::npos) << message;
  auto requests = h.server.Requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests.back().form.at("start"), "80");
}

TEST(TaskWaiter, LockTimeoutInsideTheTaskIsUnavailable) {
  ApiTestHarness h;
  ServeTask(h, 0, "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout", 1);
  auto client = h.Client();
  auto result = client->WaitTask(kUpid, std::chrono::minutes(1));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
}

TEST(TaskWaiter, StillRunningAfterTheTimeoutIsDeadlineExceeded) {
  ApiTestHarness h;
  ServeTask(h, 1000000, "OK", 1);
  auto client = h.Client();
  auto result = client->WaitTask(kUpid, std::chrono::seconds(30));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kDeadlineExceeded);
  EXPECT_NE(result.error().message.find("still running after 30 s"), std::string::npos) << result.error().message;
  std::chrono::milliseconds slept{0};
  for (auto s : h.Sleeps()) slept += s;
  EXPECT_EQ(slept, std::chrono::seconds(30)) << "the last poll lands on the deadline";
}

TEST(TaskWaiter, MalformedUpidIsRefusedWithoutARequest) {
  ApiTestHarness h;
  auto client = h.Client();
  auto result = client->WaitTask("UPID:pve-02:xyz", std::chrono::seconds(5));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(h.server.RequestCount(), 0u);
}

}  // namespace
}  // namespace hainfra::transport
