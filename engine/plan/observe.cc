#include "engine/plan/observe.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace hainfra::plan {

Result<std::vector<KindState>> ObserveKinds(const std::vector<ResourceKind*>& kinds, const Spec& spec,
                                            int parallelism, const std::set<std::string>& always) {
  if (kinds.empty()) return std::vector<KindState>{};
  std::vector<KindState> states(kinds.size());
  std::vector<std::optional<Error>> errors(kinds.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < kinds.size(); k = next++) {
      states[k].kind = kinds[k];
      states[k].desired = kinds[k]->Desired(spec);
      if (states[k].desired.empty() && !always.contains(kinds[k]->traits().name)) continue;
      Result<std::vector<Observed>> seen = kinds[k]->Observe(states[k].desired);
      if (seen) states[k].observed = std::move(*seen);
      else errors[k] = seen.error();
    }
  };
  const size_t threads = std::clamp<size_t>(static_cast<size_t>(std::max(parallelism, 1)), 1, kinds.size());
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::jthread> pool;
    for (size_t i = 0; i < threads; ++i) pool.emplace_back(work);
  }

  std::optional<Error> failure;
  for (size_t k = 0; k < kinds.size(); ++k) {
    if (!errors[k]) continue;
    Error e = WithContext(*errors[k], "observe " + kinds[k]->traits().name);
    if (!failure) failure = e;
    else failure->message += "; " + e.ToString();
  }
  if (failure) return Fail(*failure);
  return states;
}

}  // namespace hainfra::plan
