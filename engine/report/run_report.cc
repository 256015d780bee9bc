#include "engine/report/run_report.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

#include "engine/render/escape.h"

namespace hainfra::report {
namespace {

Value RunnerJson(const Runner& r) {
  return Value{{"host", r.host}, {"user", r.user}, {"pid", r.pid}, {"ci_job_url", r.ci_job_url}};
}

Value PauseJson(const PauseInfo& p) {
  Value out{{"paused", p.paused}};
  if (p.paused) {
    out["reason"] = p.reason;
    out["by"] = p.by;
    out["until"] = p.until == 0 ? Value(nullptr) : Value(Rfc3339(p.until));
    out["where"] = p.where;
  }
  return out;
}

Value WithheldJson(const std::vector<WithheldChange>& withheld) {
  Value out = Value::array();
  for (const WithheldChange& w : withheld) {
    out.push_back({{"address", w.address.ToString()}, {"action", std::string(ActionName(w.action))}, {"reason", w.reason}});
  }
  return out;
}

Value FailuresJson(const std::vector<FailedStep>& failures) {
  Value out = Value::array();
  for (const FailedStep& f : failures) out.push_back({{"step", f.step}, {"error", f.error}});
  return out;
}

Value AddressesJson(const std::vector<Address>& addresses) {
  Value out = Value::array();
  for (const Address& a : addresses) out.push_back(a.ToString());
  return out;
}

// The fields both the report and the log entry carry.
Value CommonJson(const RunReport& r) {
  return Value{{"version", RunReport::kVersion},
               {"run_id", r.run_id},
               {"cluster", r.cluster},
               {"started", Rfc3339(r.started)},
               {"duration_seconds", r.duration_seconds},
               {"runner", RunnerJson(r.runner)},
               {"outcome", OutcomeName(r.outcome)},
               {"reason", r.reason}};
}

// Appends a metric's HELP and TYPE lines.
void Header(std::string& out, const std::string& name, const std::string& help, const std::string& type) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// Appends an unlabelled metric: its HELP, TYPE and one sample.
void Sample(std::string& out, const std::string& name, const std::string& help, const std::string& type,
            const std::string& value) {
  Header(out, name, help, type);
  out += name + " " + value + "\n";
}

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

}  // namespace

std::string OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSucceeded: return "succeeded";
    case Outcome::kDrift: return "drift";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kFailed: return "failed";
  }
  return "failed";
}

std::string Rfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Value ReportJson(const RunReport& r) {
  Value out = CommonJson(r);
  out["spec_hash"] = r.spec_hash;
  out["objects"] = r.objects;
  Value drifted = Value::array();
  for (const DriftedObject& d : r.drifted) {
    drifted.push_back({{"address", d.address.ToString()},
                       {"action", std::string(ActionName(d.action))},
                       {"reason", d.reason},
                       {"fields", d.fields}});
  }
  out["drifted"] = std::move(drifted);
  out["corrected"] = AddressesJson(r.corrected);
  out["withheld"] = WithheldJson(r.withheld);
  out["failures"] = FailuresJson(r.failures);
  out["window"] = Value{{"open", r.window_open}, {"note", r.window_note}};
  out["ignored_fields"] = r.ignored_fields;
  out["pause"] = PauseJson(r.pause);
  out["consecutive_failures"] = r.consecutive_failures;
  out["next_run_not_before"] = r.next_run_not_before == 0 ? Value(nullptr) : Value(Rfc3339(r.next_run_not_before));
  out["corrected_total"] = r.corrected_total;
  return out;
}

std::string LogLine(const RunReport& r) {
  Value out = CommonJson(r);
  Value drifted = Value::array();
  for (const DriftedObject& d : r.drifted) {
    drifted.push_back({{"address", d.address.ToString()}, {"action", std::string(ActionName(d.action))}});
  }
  out["drifted"] = std::move(drifted);
  out["corrected"] = AddressesJson(r.corrected);
  out["withheld"] = WithheldJson(r.withheld);
  out["failures"] = FailuresJson(r.failures);
  out["consecutive_failures"] = r.consecutive_failures;
  return out.dump() + "\n";
}

std::string ReportJUnit(const RunReport& r) {
  std::set<Address> corrected(r.corrected.begin(), r.corrected.end());
  std::map<Address, const WithheldChange*> withheld;
  for (const WithheldChange& w : r.withheld) withheld[w.address] = &w;
  std::map<std::string, const FailedStep*> failed;
  for (const FailedStep& f : r.failures) failed[f.step] = &f;

  size_t failures = 0, errors = 0, skipped = 0;
  std::string cases = "    <testcase classname=\"hainfra.enforce\" name=\"run " + render::XmlEscape(r.run_id) + "\"";
  if (r.outcome == Outcome::kFailed) {
    ++errors;
    cases += ">\n      <error message=\"" + render::XmlEscape(r.reason) + "\"/>\n    </testcase>\n";
  } else if (r.outcome == Outcome::kSkipped) {
    ++skipped;
    cases += ">\n      <skipped message=\"" + render::XmlEscape(r.reason) + "\"/>\n    </testcase>\n";
  } else {
    cases += "/>\n";
  }
  for (const DriftedObject& d : r.drifted) {
    const std::string address = d.address.ToString();
    cases += "    <testcase classname=\"hainfra.enforce." + render::XmlEscape(d.address.kind) + "\" name=\"" +
             render::XmlEscape(address) + "\"";
    const std::string what = address + " needs " + std::string(ActionName(d.action)) +
                             (d.reason.empty() ? "" : ": " + d.reason);
    if (corrected.contains(d.address)) {
      cases += ">\n      <system-out>" + render::XmlEscape("corrected: " + what) + "</system-out>\n    </testcase>\n";
    } else if (auto f = failed.find(address); f != failed.end()) {
      ++errors;
      cases += ">\n      <error message=\"" + render::XmlEscape(f->second->error) + "\">" + render::XmlEscape(what) +
               "</error>\n    </testcase>\n";
    } else {
      ++failures;
      auto w = withheld.find(d.address);
      const std::string why = w != withheld.end() ? w->second->reason : "not corrected in this run";
      cases += ">\n      <failure type=\"drift\" message=\"" + render::XmlEscape(what + " (" + why + ")") + "\">" +
               render::XmlEscape(what) + "</failure>\n    </testcase>\n";
    }
  }
  const std::string counts = "tests=\"" + std::to_string(r.drifted.size() + 1) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" +
                             std::to_string(skipped) + "\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hainfra enforce\" " + counts + ">\n" +
         "  <testsuite name=\"enforce\" " + counts + " timestamp=\"" + Rfc3339(r.started) + "\" time=\"" +
         Number(r.duration_seconds) + "\">\n" + cases + "  </testsuite>\n</testsuites>\n";
}

std::string LastRunMetrics(bool success, int64_t timestamp) {
  std::string out;
  Sample(out, "hainfra_last_run_success", "Whether the last run succeeded (1) or failed (0).", "gauge", (success ? "1" : "0"));
  Sample(out, "hainfra_last_run_timestamp_seconds", "When the last run started, in Unix time.", "gauge", std::to_string(timestamp));
  return out;
}

std::string ReportMetrics(const RunReport& r) {
  // Failed means "not yet recovered": a run skipped while backing off keeps reporting the failure.
  std::string out = LastRunMetrics(r.consecutive_failures == 0, r.started);
  Sample(out, "hainfra_run_duration_seconds", "How long the last run took.", "gauge", Number(r.duration_seconds));
  std::map<std::string, int> drift;
  for (const std::string& kind : r.kinds) drift[kind];
  for (const DriftedObject& d : r.drifted) ++drift[d.address.kind];
  Header(out, "hainfra_drift_objects", "Objects whose live state differed from the spec at the last run.", "gauge");
  for (const auto& [kind, count] : drift) {
    out += "hainfra_drift_objects{kind=\"" + render::PrometheusLabelEscape(kind) + "\"} " + std::to_string(count) + "\n";
  }
  Sample(out, "hainfra_withheld_changes", "Changes the enforcement policy did not apply at the last run.", "gauge", std::to_string(r.withheld.size()));
  Sample(out, "hainfra_corrected_objects_total", "Objects corrected by enforce runs of this state folder.", "counter", std::to_string(r.corrected_total));
  Sample(out, "hainfra_ignored_fields", "Fields left out of the last plan by the enforcement.ignore rules.", "gauge", std::to_string(r.ignored_fields));
  Sample(out, "hainfra_paused", "Whether enforcement is paused (hainfra pause).", "gauge", (r.pause.paused ? "1" : "0"));
  Sample(out, "hainfra_consecutive_failures", "Failed runs in a row (0 after a successful one).", "gauge", std::to_string(r.consecutive_failures));
  Sample(out, "hainfra_next_run_not_before_timestamp_seconds",
         "Backing off after failures: no run before this Unix time (0: no backoff).", "gauge",
         std::to_string(r.next_run_not_before));
  Header(out, "hainfra_last_run_outcome", "The outcome of the last run (1 for the one it had).", "gauge");
  for (Outcome o : {Outcome::kSucceeded, Outcome::kDrift, Outcome::kSkipped, Outcome::kFailed}) {
    out += "hainfra_last_run_outcome{outcome=\"" + OutcomeName(o) + "\"} " + (o == r.outcome ? "1" : "0") + "\n";
  }
  return out;
}

std::vector<std::string> WebhookEvents(const RunReport& r) {
  std::vector<std::string> events;
  if (r.outcome == Outcome::kFailed) events.push_back("failure");
  if (r.corrected.size() < r.drifted.size()) events.push_back("drift");
  if (!r.corrected.empty()) events.push_back("correction");
  return events;
}

Value AlertmanagerBody(const RunReport& r, int64_t ends_at) {
  Value alerts = Value::array();
  const size_t remaining = r.drifted.size() - std::min(r.drifted.size(), r.corrected.size());
  for (const std::string& event : WebhookEvents(r)) {
    std::string name, severity, summary;
    if (event == "failure") {
      name = "HainfraEnforceFailed", severity = "critical";
      summary = "hainfra enforce failed: " + r.reason;
    } else if (event == "drift") {
      name = "HainfraDriftDetected", severity = "warning";
      summary = std::to_string(remaining) + " object(s) differ from the spec and were not corrected";
    } else {
      name = "HainfraDriftCorrected", severity = "info";
      summary = std::to_string(r.corrected.size()) + " drifted object(s) corrected";
    }
    Value alert{{"labels", {{"alertname", name}, {"cluster", r.cluster}, {"severity", severity},
                            {"runner", r.runner.host}}},
                {"annotations", {{"summary", summary}, {"run_id", r.run_id},
                                 {"description", LogLine(r).substr(0, 4000)}}},
                {"startsAt", Rfc3339(r.started)},
                {"endsAt", Rfc3339(ends_at)}};
    if (!r.runner.ci_job_url.empty()) alert["generatorURL"] = r.runner.ci_job_url;
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

Value GenericWebhookBody(const RunReport& r) {
  return Value{{"version", RunReport::kVersion}, {"events", WebhookEvents(r)}, {"summary", Value::parse(LogLine(r))}};
}

}  // namespace hainfra::report
