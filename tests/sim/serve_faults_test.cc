// pvesim as a process: injected latency, errors, dropped connections, task failures, offline nodes and
// quorum loss — from flags and at run time through the control API — and the request log.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"
#include "tests/testing/subprocess.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

TEST(PvesimFaults, LatencyFromFlagsAndAtRunTime) {
  PvesimOptions o;
  o.args = {"--latency", "150"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  auto timed = [&] {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(c.Get("/version").status, 200);
    return std::chrono::steady_clock::now() - start;
  };
  EXPECT_GE(timed(), std::chrono::milliseconds(150));
  ASSERT_EQ(c.Control("PUT", "/faults", {{"latency_ms", 0}}).status, 200);
  EXPECT_LT(timed(), std::chrono::milliseconds(150));
}

TEST(PvesimFaults, PerPathErrorRuleAnswersItsStatusAFewTimes) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult rule = c.Control("POST", "/faults/rules", {{"path", "^/version$"}, {"status", 503}, {"count", 2}});
  ASSERT_EQ(rule.status, 200) << rule.raw;
  EXPECT_EQ(c.Get("/version").status, 503);
  EXPECT_EQ(c.Get("/version").status, 503);
  EXPECT_EQ(c.Get("/version").status, 200);
  EXPECT_EQ(c.Get("/nodes").status, 200);  // other paths are unaffected
}

TEST(PvesimFaults, ErrorRateFlagAnswers596WithoutBody) {
  PvesimOptions o;
  o.args = {"--error-rate", "596=1"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  ApiResult r = c.Get("/version");
  EXPECT_EQ(r.status, 596);
  EXPECT_TRUE(r.raw.empty());
  EXPECT_EQ(r.reason, "Connection reset by peer");
}

TEST(PvesimFaults, DroppedConnectionGivesNoAnswer) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"path", "^/nodes$"}, {"drop", true}, {"count", 1}}).status, 200);
  EXPECT_EQ(c.Get("/nodes").status, 0);
  EXPECT_EQ(c.Get("/nodes").status, 200);
}

TEST(PvesimFaults, InjectedTaskFailureEndsTheTaskWithItsMessage) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"task", {{"type", "qmstart"}}}, {"message", "start failed: QEMU exited with code 1"}, {"count", 1}}).status, 200);
  EXPECT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu/100/status/start").data()), "start failed: QEMU exited with code 1");
  EXPECT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu/100/status/start").data()), "OK");
}

TEST(PvesimFaults, OfflineNodeAnswers595AndShowsOfflineInStatus) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/nodes/pve-03/offline").status, 200);
  ApiResult proxied = c.Get("/nodes/pve-03/status");
  EXPECT_EQ(proxied.status, 595);
  EXPECT_EQ(proxied.reason, "No route to host");
  json status = c.Get("/cluster/status").data();
  EXPECT_EQ(status[0]["quorate"], 1);  // two of three votes
  for (const auto& e : status) {
    if (e.value("name", "") == "pve-03") {
      EXPECT_EQ(e["online"], 0);
    }
  }
  for (const auto& n : c.Get("/nodes").data()) {
    if (n["node"] == "pve-03") {
      EXPECT_EQ(n["status"], "offline");
    }
  }
  EXPECT_EQ(c.Get("/nodes/pve-09/status").message(),
            "hostname lookup 'pve-09' failed - failed to get address info for: pve-09: Name or service not known\n");
  ASSERT_EQ(c.Control("POST", "/nodes/pve-03/online").status, 200);
  EXPECT_EQ(c.Get("/nodes/pve-03/status").status, 200);
}

TEST(PvesimFaults, QuorumLossRefusesClusterWrites) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Control("POST", "/quorum/lose").status, 200);
  json status = c.Get("/cluster/status").data();
  EXPECT_EQ(status[0]["quorate"], 0);
  ApiResult create = c.Post("/nodes/pve-01/qemu", {{"vmid", "101"}});
  EXPECT_EQ(create.status, 500);
  EXPECT_EQ(create.message(), "cluster not ready - no quorum?\n");
  ApiResult update = c.Put("/nodes/pve-01/qemu/100/config", {{"cores", "2"}});
  EXPECT_EQ(update.status, 500);
  EXPECT_NE(update.message().find("Permission denied"), std::string::npos) << update.message();
  EXPECT_EQ(c.Post("/storage", {{"storage", "nfs1"}, {"type", "nfs"}, {"server", "10.0.0.5"}, {"export", "/srv"}, {"path", "/mnt/pve/nfs1"}}).status, 500);
  EXPECT_EQ(c.Get("/nodes/pve-02/status").status, 595);  // the other nodes are out of reach too
  ASSERT_EQ(c.Control("POST", "/quorum/restore").status, 200);
  EXPECT_EQ(c.Put("/nodes/pve-01/qemu/100/config", {{"cores", "2"}}).status, 200);
}

TEST(PvesimFaults, NoQuorumFlagStartsWithoutQuorum) {
  PvesimOptions o;
  o.args = {"--no-quorum"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Get("/cluster/status").data()[0]["quorate"], 0);
}

TEST(PvesimFaults, ControlApiNeedsItsToken) {
  PVESIM_START_OR_SKIP(pvesim);
  httplib::Client raw(pvesim->endpoint());
  raw.enable_server_certificate_verification(false);
  auto none = raw.Get("/pvesim/status");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto wrong = raw.Get("/pvesim/status", {{"Authorization", "Bearer " + pvesim->secret()}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Control("GET", "/status").data()["quorate"], true);
}

TEST(PvesimFaults, RequestLogHasOneJsonLinePerRequestWithoutSecrets) {
  std::string log = ::testing::TempDir() + "/pvesim-requests.jsonl";
  std::remove(log.c_str());
  PvesimOptions o;
  o.args = {"--request-log", log};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim, PvesimClient::Auth::kNone);
  ASSERT_TRUE(c.Login());
  EXPECT_EQ(c.Get("/cluster/resources", {{"type", "vm"}}).status, 200);
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  EXPECT_EQ(text.find(pvesim->password()), std::string::npos) << "the password leaked into the request log";
  std::vector<json> entries;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) entries.push_back(json::parse(line));
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0]["path"], "/access/ticket");
  EXPECT_EQ(entries[0]["params"]["password"], "<hidden>");
  EXPECT_EQ(entries[1]["method"], "GET");
  EXPECT_EQ(entries[1]["path"], "/cluster/resources");
  EXPECT_EQ(entries[1]["params"]["type"], "vm");
  EXPECT_EQ(entries[1]["status"], 200);
  EXPECT_EQ(entries[1]["user"], "root@pam");
  EXPECT_TRUE(entries[1]["duration_ms"].is_number());
}

TEST(PvesimFaults, AnAfterRuleLosesTheAnswerOfWorkThatWasDone) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"method", "POST"}, {"path", "^/storage$"}, {"after", true},
                                                {"drop", true}, {"count", 1}}).status, 200);
  ApiResult lost = c.Post("/storage", {{"storage", "lost-answer"}, {"type", "dir"}, {"path", "/srv/lost"}});
  EXPECT_EQ(lost.status, 0);  // no answer …
  EXPECT_EQ(c.Get("/storage/lost-answer").status, 200);  // … but the storage was written
  ApiResult again = c.Post("/storage", {{"storage", "lost-answer"}, {"type", "dir"}, {"path", "/srv/lost"}});
  EXPECT_EQ(again.status, 500);
  EXPECT_NE(again.message().find("already defined"), std::string::npos) << again.raw;
}

TEST(PvesimFaults, AnAfterRuleCanAnswerAnErrorForWorkThatWasDone) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"method", "PUT"}, {"path", "^/nodes/pve-01/qemu/100/config$"},
                                                {"after", true}, {"status", 503}, {"count", 1}}).status, 200);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  EXPECT_EQ(c.Put("/nodes/pve-01/qemu/100/config", {{"cores", "3"}}).status, 503);
  EXPECT_EQ(c.Get("/nodes/pve-01/qemu/100/config").data().value("cores", 0), 3);
}

TEST(PvesimFaults, AnAfterRuleNeedsAStatusOrADrop) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Control("POST", "/faults/rules", {{"path", "^/storage$"}, {"after", true}}).status, 400);
}

TEST(PvesimFaults, ARequestCanTakeANodeOfflineOrQuorumAwayOnceItsWorkIsDone) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"method", "POST"}, {"path", "^/storage$"},
                                                {"then", {{"offline", "pve-02"}}}, {"count", 1}}).status, 200);
  EXPECT_EQ(c.Post("/storage", {{"storage", "first"}, {"type", "dir"}, {"path", "/srv/first"}}).status, 200);
  EXPECT_EQ(c.Get("/nodes/pve-02/status").status, 595);
  ASSERT_EQ(c.Control("POST", "/nodes/pve-02/online").status, 200);

  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"method", "POST"}, {"path", "^/storage$"},
                                                {"then", {{"lose_quorum", true}}}, {"count", 1}}).status, 200);
  EXPECT_EQ(c.Post("/storage", {{"storage", "second"}, {"type", "dir"}, {"path", "/srv/second"}}).status, 200);
  EXPECT_EQ(c.Get("/storage/second").status, 200);  // written before quorum went
  ApiResult refused = c.Post("/storage", {{"storage", "third"}, {"type", "dir"}, {"path", "/srv/third"}});
  EXPECT_EQ(refused.status, 500);
  // The storage layer writes storage.cfg through pmxcfs, read-only without quorum (PVE's own words).
  EXPECT_NE(refused.message().find("/etc/pve/storage.cfg.tmp."), std::string::npos) << refused.raw;
  EXPECT_NE(refused.message().find("Permission denied"), std::string::npos) << refused.raw;
}

TEST(PvesimFaults, ACrashAfterTheCommitKeepsTheWorkInTheStateDir) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"method", "POST"}, {"path", "^/storage$"},
                                                {"then", {{"crash", true}}}}).status, 200);
  EXPECT_EQ(c.Post("/storage", {{"storage", "kept"}, {"type", "dir"}, {"path", "/srv/kept"}}).status, 0);
  for (int i = 0; i < 100 && ProcessAlive(pvesim->pid()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(ProcessAlive(pvesim->pid()));
  PvesimOptions again;
  again.state_dir = pvesim->state_dir();
  again.args = {"--port", std::to_string(pvesim->port())};
  PVESIM_START_OR_SKIP(restarted, again);
  PvesimClient c2(*restarted);
  EXPECT_EQ(c2.Get("/storage/kept").status, 200);
  EXPECT_EQ(c2.Control("GET", "/faults").data()["rules"].size(), 0u);  // rules do not survive a restart
}

TEST(PvesimFaults, ATaskRuleWithADurationHoldsTheTaskRunningThenSucceeds) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"task", {{"type", "qmcreate"}, {"id", "100"}}}, {"duration_ms", 1500},
                                                {"count", 1}}).status, 200);
  const std::string upid = c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(c.Get("/nodes/pve-01/tasks/" + upid + "/status").data().value("status", ""), "running");
  EXPECT_EQ(c.WaitTask(upid), "OK");
}

}  // namespace
}  // namespace hainfra::testing
