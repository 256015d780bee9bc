// Bounded parallel loops of the kinds that read one object per request (guest configs): as many at once as
// the API client keeps connections.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace hainfra::providers {

// Runs `work(i)` for i in [0, n) on up to `width` threads.
inline void ForEachParallel(size_t n, int width, const std::function<void(size_t)>& work) {
  const size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, width)));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) work(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::jthread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) work(i);
    });
  }
}

}  // namespace hainfra::providers
