// A StepRunner for executor tests: steps take `delay`, fail on cue, and the runner measures how many
// ran at once (in all, per node, per guest) and in which order they started and ended.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/exec/step_runner.h"
#include "tests/testing/fake_kind.h"

namespace hainfra::testing {

class ScriptedRunner : public exec::StepRunner {
 public:
  Status Run(const Step& step) override;

  // The next runs of step `id` return these results, in order (then it succeeds).
  void Script(int id, std::vector<Status> results);

  std::chrono::milliseconds delay{0};
  std::function<void(const Step&)> on_start;  // called as a step starts (e.g. to raise the stop flag)

  Concurrency Max() const;
  std::vector<int> Started() const;  // step ids in start order (a retried step appears once per try)
  std::vector<int> Ended() const;    // step ids in end order
  int Runs(int id) const;

 private:
  mutable std::mutex mu_;
  std::map<int, std::deque<Status>> script_;
  std::vector<int> started_, ended_;
  int running_ = 0;
  std::map<std::string, int> node_running_, guest_running_;
  Concurrency max_;
};

// A step for hand-made plans.
Step MakeStep(int id, std::vector<int> deps = {}, std::string node = "", std::string guest = "", int phase = 0);

// A plan of hand-made steps (ids must equal positions); change addresses are "step/<id>".
Plan MakePlan(std::vector<Step> steps);

}  // namespace hainfra::testing
