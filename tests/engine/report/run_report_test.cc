#include "engine/report/run_report.h"

#include <gtest/gtest.h>

namespace hainfra::report {
namespace {

// A run that found three drifted objects: corrected one, withheld one (warn mode), failed one.
RunReport MixedRun() {
  RunReport r;
  r.run_id = "2023-11-14T22:13:20Z-0000abcd";
  r.cluster = "lab";
  r.started = 1700000000;
  r.duration_seconds = 1.5;
  r.runner = {"runner-1", "root", 4242, "https://ci.example/job/7"};
  r.outcome = Outcome::kFailed;
  r.reason = "1 step(s) failed";
  r.kinds = {"vm", "storage"};
  r.objects = 5;
  r.drifted = {{{"vm", "100"}, Action::kUpdate, "cores differs", {"cores"}},
               {{"vm", "101"}, Action::kUpdate, "memory differs", {"memory"}},
               {{"vm", "102"}, Action::kUpdate, "tags differ", {"tags"}}};
  r.corrected = {{"vm", "100"}};
  r.withheld = {{{"vm", "101"}, Action::kUpdate, "warn mode (vm tagged k8s)"}};
  r.failures = {{"vm/102", "can't lock file"}};
  r.consecutive_failures = 2;
  r.next_run_not_before = 1700003600;
  r.corrected_total = 9;
  r.ignored_fields = 4;
  return r;
}

TEST(RunReport, TheJsonReportCarriesItsVersionAndEveryList) {
  const Value json = ReportJson(MixedRun());
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["outcome"], "failed");
  EXPECT_EQ(json["started"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(json["runner"]["ci_job_url"], "https://ci.example/job/7");
  EXPECT_EQ(json["drifted"].size(), 3u);
  EXPECT_EQ(json["drifted"][0]["fields"][0], "cores");
  EXPECT_EQ(json["corrected"][0], "vm/100");
  EXPECT_EQ(json["withheld"][0]["reason"], "warn mode (vm tagged k8s)");
  EXPECT_EQ(json["failures"][0]["step"], "vm/102");
  EXPECT_EQ(json["next_run_not_before"], "2023-11-14T23:13:20Z");
  EXPECT_EQ(json["pause"]["paused"], false);
}

TEST(RunReport, TheLogEntryIsOneLineWithoutFieldDetails) {
  const std::string line = LogLine(MixedRun());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const Value json = Value::parse(line);
  EXPECT_EQ(json["run_id"], "2023-11-14T22:13:20Z-0000abcd");
  EXPECT_EQ(json["runner"]["host"], "runner-1");
  EXPECT_EQ(json["drifted"][1], Value({{"address", "vm/101"}, {"action", "update"}}));
  EXPECT_DOUBLE_EQ(json["duration_seconds"].get<double>(), 1.5);
}

TEST(RunReport, MetricsSayTheRunFailedAndHowOften) {
  const std::string m = ReportMetrics(MixedRun());
  EXPECT_NE(m.find("\nhainfra_last_run_success 0\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\nhainfra_last_run_timestamp_seconds 1700000000\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_run_duration_seconds 1.500\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_drift_objects{kind=\"vm\"} 3\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_drift_objects{kind=\"storage\"} 0\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_corrected_objects_total 9\n"), std::string::npos);
  EXPECT_NE(m.find("# TYPE hainfra_corrected_objects_total counter\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_ignored_fields 4\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_paused 0\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_consecutive_failures 2\n"), std::string::npos);
  EXPECT_NE(m.find("\nhainfra_last_run_outcome{outcome=\"failed\"} 1\n"), std::string::npos);
}

TEST(RunReport, ASkipWhileBackingOffStillReportsTheFailure) {
  RunReport r = MixedRun();
  r.outcome = Outcome::kSkipped;
  EXPECT_NE(ReportMetrics(r).find("\nhainfra_last_run_success 0\n"), std::string::npos);
  r.consecutive_failures = 0;
  EXPECT_NE(ReportMetrics(r).find("\nhainfra_last_run_success 1\n"), std::string::npos);
}

TEST(RunReport, JUnitPassesCorrectedFailsWithheldAndErrsOnFailedSteps) {
  const std::string x = ReportJUnit(MixedRun());
  EXPECT_NE(x.find("<testsuites name=\"hainfra enforce\" tests=\"4\" failures=\"1\" errors=\"2\" skipped=\"0\">"),
            std::string::npos) << x;
  EXPECT_NE(x.find("<system-out>corrected: vm/100 needs update: cores differs</system-out>"), std::string::npos) << x;
  EXPECT_NE(x.find("warn mode (vm tagged k8s)"), std::string::npos);
  EXPECT_NE(x.find("<error message=\"can&apos;t lock file\">"), std::string::npos) << x;
}

TEST(RunReport, ASkippedRunIsASkippedTestcase) {
  RunReport r;
  r.run_id = "x";
  r.outcome = Outcome::kSkipped;
  r.reason = "enforcement is paused by a@b";
  EXPECT_NE(ReportJUnit(r).find("<skipped message=\"enforcement is paused by a@b\"/>"), std::string::npos);
}

TEST(RunReport, WebhookEventsFollowWhatHappened) {
  EXPECT_EQ(WebhookEvents(MixedRun()), (std::vector<std::string>{"failure", "drift", "correction"}));
  RunReport clean;
  EXPECT_TRUE(WebhookEvents(clean).empty());
  RunReport skipped;
  skipped.outcome = Outcome::kSkipped;
  EXPECT_TRUE(WebhookEvents(skipped).empty());
}

TEST(RunReport, AlertmanagerBodyIsAnArrayOfV2Alerts) {
  const Value alerts = AlertmanagerBody(MixedRun(), 1700003600);
  ASSERT_TRUE(alerts.is_array());
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0]["labels"]["alertname"], "HainfraEnforceFailed");
  EXPECT_EQ(alerts[0]["labels"]["cluster"], "lab");
  EXPECT_EQ(alerts[0]["labels"]["severity"], "critical");
  EXPECT_EQ(alerts[0]["startsAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(alerts[0]["endsAt"], "2023-11-14T23:13:20Z");
  EXPECT_EQ(alerts[0]["generatorURL"], "https://ci.example/job/7");
  EXPECT_EQ(alerts[1]["labels"]["alertname"], "HainfraDriftDetected");
  EXPECT_EQ(alerts[1]["annotations"]["summary"], "2 object(s) differ from the spec and were not corrected");
  EXPECT_EQ(alerts[2]["labels"]["alertname"], "HainfraDriftCorrected");
}

TEST(RunReport, TheGenericBodyCarriesTheEventsAndTheSummary) {
  const Value body = GenericWebhookBody(MixedRun());
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["events"][0], "failure");
  EXPECT_EQ(body["summary"]["outcome"], "failed");
  EXPECT_EQ(body["summary"]["withheld"][0]["address"], "vm/101");
}

TEST(RunReport, LastRunMetricsAloneAreWhatAFailedDriftWrites) {
  EXPECT_EQ(LastRunMetrics(false, 1700000000),
            "# HELP hainfra_last_run_success Whether the last run succeeded (1) or failed (0).\n"
            "# TYPE hainfra_last_run_success gauge\n"
            "hainfra_last_run_success 0\n"
            "# HELP hainfra_last_run_timestamp_seconds When the last run started, in Unix time.\n"
            "# TYPE hainfra_last_run_timestamp_seconds gauge\n"
            "hainfra_last_run_timestamp_seconds 1700000000\n");
}

}  // namespace
}  // namespace hainfra::report
