#include "engine/exec/executor.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "engine/plan/dag.h"

namespace hainfra::exec {
namespace {

using namespace std::chrono_literals;

// One run of a plan. The calling thread schedules; `parallelism` workers run steps. All state, and
// every reporter call, is guarded by one mutex.
class Run {
 public:
  Run(const Plan& plan, StepRunner& runner, const ExecutorOptions& options, ApplyReporter& reporter)
      : plan_(plan), runner_(runner), options_(options), reporter_(reporter),
        parallelism_(std::max(1, options.parallelism)) {
    const size_t n = plan.steps.size();
    summary_.outcomes.assign(n, StepOutcome::kNotRun);
    waiting_.resize(n);
    dependents_.resize(n);
    for (const Step& step : plan.steps) {
      waiting_[step.id] = step.deps.size();
      for (int dep : step.deps) dependents_[dep].push_back(step.id);
      phases_[step.phase].push_back(step.id);
      ++unfinished_[step.phase];
    }
  }

  ApplySummary Go() {
    {
      std::vector<std::jthread> pool;
      for (int i = 0; i < parallelism_; ++i) pool.emplace_back([this] { Work(); });
      Schedule();
      {
        std::lock_guard lock(mu_);
        shutdown_ = true;
      }
      jobs_cv_.notify_all();
    }
    return std::move(summary_);
  }

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }

  void Schedule() {
    std::unique_lock lock(mu_);
    next_phase_ = phases_.begin();
    OpenPhases();
    while (true) {
      if (Stopping()) summary_.interrupted = true;
      if (!summary_.interrupted) StartReady();
      if (running_ == 0) break;
      done_cv_.wait_for(lock, 20ms, [this] { return !completions_.empty(); });
      while (!completions_.empty()) {
        auto [id, status] = std::move(completions_.front());
        completions_.pop_front();
        Finish(id, std::move(status));
      }
    }
    bool noted = false;
    for (const Step& step : plan_.steps) {
      if (summary_.outcomes[step.id] != StepOutcome::kNotRun) continue;
      // Only an interruption leaves steps behind; anything else is a bug worth saying out loud.
      if (!summary_.interrupted && !noted) {
        reporter_.Note("internal error: the plan cannot progress; the remaining steps are not started");
        noted = true;
      }
      summary_.outcomes[step.id] = StepOutcome::kCancelled;
      ++summary_.cancelled;
      reporter_.StepCancelled(step);
    }
  }

  // Makes the steps of every phase whose predecessors all ended eligible.
  void OpenPhases() {
    while (next_phase_ != phases_.end()) {
      const bool earlier_done = next_phase_ == phases_.begin() || unfinished_[std::prev(next_phase_)->first] == 0;
      if (!earlier_done) return;
      for (int id : next_phase_->second) {
        if (waiting_[id] == 0 && summary_.outcomes[id] == StepOutcome::kNotRun) ready_.insert(id);
      }
      open_phase_ = next_phase_->first;
      ++next_phase_;
    }
  }

  bool PhaseOpen(int phase) const { return open_phase_.has_value() && phase <= *open_phase_; }

  void StartReady() {
    for (auto it = ready_.begin(); it != ready_.end() && running_ < parallelism_;) {
      const Step& step = plan_.steps[*it];
      const bool guest_busy = !step.guest.empty() && busy_guests_.contains(step.guest);
      const bool node_full = !step.node.empty() && node_running_[step.node] >= std::max(1, options_.per_node);
      if (guest_busy || node_full) {
        ++it;
        continue;
      }
      if (!step.guest.empty()) busy_guests_.insert(step.guest);
      if (!step.node.empty()) ++node_running_[step.node];
      ++running_;
      reporter_.StepStarted(step);
      jobs_.push_back(step.id);
      it = ready_.erase(it);
      jobs_cv_.notify_one();
    }
  }

  void Work() {
    std::unique_lock lock(mu_);
    while (true) {
      jobs_cv_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      const int id = jobs_.front();
      jobs_.pop_front();
      lock.unlock();
      Status status = RunStep(plan_.steps[id]);
      lock.lock();
      completions_.emplace_back(id, std::move(status));
      done_cv_.notify_one();
    }
  }

  Status RunStep(const Step& step) {
    auto once = [&]() -> Status {
      if (step.type != StepType::kGate) return runner_.Run(step);
      return options_.health_gate ? options_.health_gate(step.node) : Ok();
    };
    auto on_retry = [&](int attempt, std::chrono::milliseconds wait, const Error& error) {
      std::lock_guard lock(mu_);
      reporter_.Note("retrying " + plan::StepName(step) + " in " + std::to_string(wait.count()) + "ms (try " +
                     std::to_string(attempt) + " of " + std::to_string(options_.retry.attempts) +
                     "): " + error.ToString());
    };
    return Retry(options_.retry, once, [this] { return !Stopping(); }, on_retry);
  }

  void Finish(int id, Status status) {
    const Step& step = plan_.steps[id];
    --running_;
    if (!step.guest.empty()) busy_guests_.erase(step.guest);
    if (!step.node.empty()) --node_running_[step.node];
    if (status) {
      summary_.outcomes[id] = StepOutcome::kSucceeded;
      ++summary_.succeeded;
      reporter_.StepSucceeded(step);
      for (int d : dependents_[id]) {
        if (--waiting_[d] == 0 && summary_.outcomes[d] == StepOutcome::kNotRun && PhaseOpen(plan_.steps[d].phase)) {
          ready_.insert(d);
        }
      }
    } else {
      summary_.outcomes[id] = StepOutcome::kFailed;
      ++summary_.failed;
      reporter_.StepFailed(step, status.error());
      SkipDependents(id);
    }
    Ended(step.phase);
  }

  // Every step below a failure is skipped once, naming the failure as the root cause.
  void SkipDependents(int root) {
    std::deque<int> queue(dependents_[root].begin(), dependents_[root].end());
    while (!queue.empty()) {
      const int id = queue.front();
      queue.pop_front();
      if (summary_.outcomes[id] != StepOutcome::kNotRun) continue;
      summary_.outcomes[id] = StepOutcome::kSkipped;
      ++summary_.skipped;
      ready_.erase(id);
      reporter_.StepSkipped(plan_.steps[id], root);
      Ended(plan_.steps[id].phase);
      queue.insert(queue.end(), dependents_[id].begin(), dependents_[id].end());
    }
  }

  void Ended(int phase) {
    if (--unfinished_[phase] == 0) OpenPhases();
  }

  const Plan& plan_;
  StepRunner& runner_;
  const ExecutorOptions& options_;
  ApplyReporter& reporter_;
  const int parallelism_;

  std::mutex mu_;
  std::condition_variable jobs_cv_;
  std::condition_variable done_cv_;
  std::deque<int> jobs_;
  std::deque<std::pair<int, Status>> completions_;
  bool shutdown_ = false;

  ApplySummary summary_;
  std::vector<size_t> waiting_;              // dependencies not yet succeeded
  std::vector<std::vector<int>> dependents_;
  std::map<int, std::vector<int>> phases_;   // phase -> its steps
  std::map<int, size_t> unfinished_;         // phase -> steps not yet ended
  std::map<int, std::vector<int>>::iterator next_phase_;  // the next phase to open
  std::optional<int> open_phase_;            // the highest phase whose steps may start
  std::set<int> ready_;                      // may start, in id order, once guest/node/parallelism allow
  std::set<std::string> busy_guests_;
  std::map<std::string, int> node_running_;
  int running_ = 0;
};

}  // namespace

ApplySummary Execute(const Plan& plan, StepRunner& runner, const ExecutorOptions& options, ApplyReporter& reporter) {
  return Run(plan, runner, options, reporter).Go();
}

}  // namespace hainfra::exec
