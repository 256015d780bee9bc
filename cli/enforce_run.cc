// One `hainfra enforce` run (RunEnforceOnce): the gates, the plan, the policy's decision, the apply.
#include <chrono>
#include <ctime>
#include <random>
#include <sstream>

#include "cli/apply_command.h"
#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "cli/enforce_command.h"
#include "cli/enforce_state.h"
#include "cli/enforce_time.h"
#include "cli/planning.h"
#include "cli/runner_info.h"
#include "cli/spec_source.h"
#include "engine/enforce/policy.h"
#include "engine/plan/dag.h"
#include "engine/render/plan_text.h"
#include "providers/safety/cluster_health.h"
#include "providers/safety/cluster_lock.h"

namespace hainfra::cli {
namespace {

using report::Outcome;
using report::RunReport;

// Records what the executor did, for the report.
class EnforceRecorder : public ApplyReporter {
 public:
  explicit EnforceRecorder(const Plan& plan) : plan_(plan) {}
  void StepStarted(const Step&) override {}
  void StepSucceeded(const Step& step) override {
    if (step.type == StepType::kChange) corrected.push_back(step.change.address);
  }
  void StepFailed(const Step& step, const Error& error) override {
    failures.push_back({plan::StepName(step), error.message});
  }
  void StepSkipped(const Step& step, int root) override {
    const std::string cause = root >= 0 && root < static_cast<int>(plan_.steps.size())
                                  ? plan::StepName(plan_.steps[static_cast<size_t>(root)])
                                  : "a failed step";
    failures.push_back({plan::StepName(step), "not run: " + cause + " failed"});
  }
  void StepCancelled(const Step&) override {}
  void Note(const std::string&) override {}

  std::vector<Address> corrected;
  std::vector<report::FailedStep> failures;

 private:
  const Plan& plan_;
};

std::string EnforceRunId(int64_t now) {
  std::random_device device;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s-%08x", FormatRfc3339(now).c_str(), device());
  return buf;
}

bool SpecHasKindPrefix(const Spec& spec, std::string_view prefix) {
  for (const Resource& r : spec.objects) {
    if (r.address.kind.starts_with(prefix)) return true;
  }
  return false;
}

std::string ClusterName(const Spec& spec) {
  for (const Resource* c : spec.OfKind("cluster")) {
    if (c->body.is_object() && c->body.contains("name") && c->body["name"].is_string()) {
      return c->body["name"].get<std::string>();
    }
  }
  return "";
}

// Why the cluster is not healthy enough for an unattended run ("" when it is): quorum, and Ceph / the HA
// manager when the spec manages them. Node-level kinds also need every node online: the policy's job.
std::string EnforceHealthProblem(ClusterSession& session, const Spec& spec, const safety::ClusterStatus& status) {
  if (!status.quorate) {
    return "the cluster" + (status.name.empty() ? std::string() : " '" + status.name + "'") + " has no quorum (seen from " +
           (status.local.empty() ? std::string("the API node") : status.local) + ")";
  }
  transport::ApiClient& api = *session.deps().api;
  if (SpecHasKindPrefix(spec, "ceph")) {
    if (std::string problem = safety::CephProblem(api); !problem.empty()) return problem;
  }
  if (status.clustered && SpecHasKindPrefix(spec, "ha_")) {
    Result<Value> ha = api.Get("/cluster/ha/status/current");
    if (!ha) return "cannot read the HA manager's status: " + ha.error().message;
    if (std::string problem = safety::HaProblem(*ha); !problem.empty()) return problem + " (the HA manager is not active)";
  }
  return "";
}

// The run itself, after the backoff check; fills `r` and returns nothing: the outcome is in `r`.
void EnforceRunBody(const EnforceOptions& options, Console& console, RunReport& r, int64_t now) {
  auto fail = [&r](std::string why) {
    r.outcome = Outcome::kFailed;
    r.reason = std::move(why);
  };
  auto skip = [&r](std::string why) {
    r.outcome = Outcome::kSkipped;
    r.reason = std::move(why);
  };

  Result<Spec> spec = LoadSpecReporting(options.spec_paths, console.err);
  if (!spec) return fail("the spec: " + spec.error().message);
  r.cluster = ClusterName(*spec);
  r.spec_hash = spec->hash;
  Result<enforce::Policy> policy = enforce::Policy::FromSpec(*spec);
  if (!policy) return fail("the enforcement policy: " + policy.error().message);

  auto log = [&console](transport::LogLevel level, std::string_view line) {
    if (level == transport::LogLevel::kWarning) console.err << "warning: " << line << "\n";
  };
  Result<std::unique_ptr<ClusterSession>> session = ClusterSession::Open(*spec, options.env, log);
  if (!session) return fail(session.error().message);
  for (const ResourceKind* kind : (*session)->kinds()) r.kinds.push_back(kind->traits().name);

  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*(*session)->deps().api);
  if (!status) return fail(status.error().message);
  if (std::string problem = EnforceHealthProblem(**session, *spec, *status); !problem.empty()) {
    return skip("the cluster is not healthy: " + problem);
  }
  bool all_online = true;
  for (const auto& [node, online] : status->online) all_online = all_online && online;

  // Paused: nothing else is looked at. (The pause record is read on a quorate node, so quorum comes first.)
  Result<std::unique_ptr<safety::PauseStore>> store = OpenPauseStore(**session, options.location);
  if (!store) return fail(store.error().message);
  r.pause.where = (*store)->Where();
  Result<std::optional<safety::PauseRecord>> pause = ActivePause(**store, now);
  if (!pause) return fail(pause.error().message);
  if (*pause) {
    r.pause.paused = true;
    r.pause.reason = (*pause)->reason;
    r.pause.by = (*pause)->by;
    r.pause.until = (*pause)->until;
    return skip("enforcement is " + DescribePause(**pause, (*store)->Where()));
  }

  // The lock, from before planning to the end, as for apply.
  std::unique_ptr<safety::ClusterLock> lock;
  if (options.no_lock) {
    console.err << "warning: --no-lock: enforcing without the cluster lock; nothing stops an apply from running at "
                   "the same time\n";
  } else {
    Result<std::string> node = QuorateSshNode(**session);
    if (!node) {
      return fail("enforce holds the cluster-wide lock in " + options.location.cfs + "/priv/lock over SSH, and " +
                  node.error().message + "; configure SSH, or use --no-lock when nothing else applies to this cluster");
    }
    safety::LockOptions lock_options;
    lock_options.cfs = options.location.cfs;
    lock_options.wait = options.lock_wait;
    safety::LockHolder holder = safety::LockHolder::Current();
    holder.job_url = r.runner.ci_job_url;
    Result<std::unique_ptr<safety::ClusterLock>> taken =
        safety::ClusterLock::Acquire(*(*session)->deps().ssh, *node, lock_options, holder);
    if (!taken) {
      if (taken.error().message.find(" is held by ") != std::string::npos) return skip(taken.error().message);
      return fail(taken.error().message);
    }
    lock = std::move(*taken);
  }

  Result<Plan> plan = ObserveAndPlan(*spec, (*session)->kinds(), options.planning, console.err);
  if (!plan) return fail(plan.error().message);
  for (const Step& step : plan->steps) {
    if (step.type != StepType::kChange) continue;
    report::DriftedObject d{step.change.address, step.change.action, step.change.reason, {}};
    for (const FieldChange& f : step.change.fields) d.fields.push_back(f.path);
    r.drifted.push_back(std::move(d));
  }
  r.objects = r.drifted.size() + plan->unchanged.size();
  r.ignored_fields = static_cast<int64_t>(plan->ignored_fields());  // dropped by `enforcement.ignore`
  if (HasErrors(plan->diagnostics)) return fail("the plan has refused changes (see the diagnostics); nothing was applied");
  if (!r.drifted.empty()) {
    render::TextOptions text;
    text.color = console.color;
    text.heading = "Drift: " + std::to_string(r.drifted.size()) + " object(s) differ from the spec:";
    render::RenderPlanText(*plan, text, console.out);
  }

  const enforce::Decision decision = policy->Decide(*plan, *spec, {now, all_online});
  r.window_open = decision.window_open;
  r.window_note = decision.window_note;
  for (const enforce::Withheld& w : decision.withheld) r.withheld.push_back({w.address, w.action, w.reason});
  for (const report::WithheldChange& w : r.withheld) {
    console.out << "withheld: " << w.address.ToString() << " (" << ActionName(w.action) << "): " << w.reason << "\n";
  }

  if (!decision.to_apply.empty()) {
    if (options.stop != nullptr && options.stop->load()) return skip("interrupted before applying (SIGTERM/SIGINT)");
    ApplyCommandOptions apply;
    apply.planning = options.planning;
    apply.auto_approve = true;
    apply.allow_destroy = false;  // never unattended
    apply.per_node = options.per_node;
    apply.retry = options.retry;
    apply.stop = options.stop;
    WireGates(**session, {}, apply);
    if (Status runnable = CheckRunnable(decision.to_apply, apply); !runnable) return fail(runnable.error().message);
    EnforceRecorder recorder(decision.to_apply);
    const exec::ApplySummary summary =
        ExecuteSteps(decision.to_apply, *spec, (*session)->kinds(), apply, console, console.out, &recorder);
    r.corrected = std::move(recorder.corrected);
    r.failures = std::move(recorder.failures);
    if (summary.failed > 0 || summary.skipped > 0) {
      fail(std::to_string(summary.failed) + " step(s) failed" +
           (r.failures.empty() ? std::string() : ": " + r.failures.front().step + ": " + r.failures.front().error));
    } else if (summary.interrupted) {
      skip("interrupted (SIGTERM/SIGINT): " + std::to_string(summary.cancelled) + " step(s) not started");
    }
  }
  if (lock && !lock->held()) fail("the cluster lock was lost during the run (not refreshed in time, or forced)");
  ReleaseApplyLock(lock, console.err);
  if (r.outcome == Outcome::kSucceeded && r.corrected.size() < r.drifted.size()) r.outcome = Outcome::kDrift;
}

}  // namespace

report::RunReport RunEnforceOnce(const EnforceOptions& options, Console& console, bool first) {
  const auto started = std::chrono::steady_clock::now();
  const int64_t now = options.clock ? options.clock() : static_cast<int64_t>(std::time(nullptr));
  RunReport r;
  r.started = now;
  r.run_id = EnforceRunId(now);
  r.runner = CurrentRunner(options.env);

  Result<RunnerState> state = ReadRunnerState(options.location.state_dir);
  if (!state) {
    r.outcome = Outcome::kFailed;
    r.reason = state.error().message;
  } else if (first && state->next_run_not_before > now) {
    r.outcome = Outcome::kSkipped;
    r.reason = "backing off after " + std::to_string(state->consecutive_failures) + " failed run(s) in a row: next run " +
               "not before " + FormatRfc3339(state->next_run_not_before);
  } else {
    EnforceRunBody(options, console, r, now);
  }

  RunnerState next = state ? *state : RunnerState{};
  if (r.outcome == Outcome::kFailed) {
    ++next.consecutive_failures;
    next.last_failure = now;
    const std::chrono::seconds base = options.every.count() > 0 ? options.every : std::chrono::minutes(15);
    next.next_run_not_before = now + BackoffDelay(base, next.consecutive_failures).count();
  } else if (r.outcome != Outcome::kSkipped) {
    next.consecutive_failures = 0;
    next.next_run_not_before = 0;
  }
  next.corrected_total += static_cast<int64_t>(r.corrected.size());
  if (state) {
    if (Status s = WriteRunnerState(options.location.state_dir, next); !s) {
      console.err << "warning: " << s.error().message << "\n";
    }
  }
  r.consecutive_failures = next.consecutive_failures;
  r.next_run_not_before = next.next_run_not_before;
  r.corrected_total = next.corrected_total;
  r.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace hainfra::cli
