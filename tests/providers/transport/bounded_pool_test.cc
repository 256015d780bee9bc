#include "providers/transport/bounded_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace hainfra::transport {
namespace {

TEST(BoundedPool, SequentialUseKeepsReusingOneObject) {
  int made = 0;
  BoundedPool<int> pool(4, [&] { return std::make_unique<int>(++made); });
  for (int i = 0; i < 10; ++i) {
    auto lease = pool.Acquire();
    EXPECT_EQ(*lease, 1);
  }
  EXPECT_EQ(pool.created(), 1);
}

TEST(BoundedPool, NeverLendsMoreThanItsLimit) {
  BoundedPool<int> pool(3, [] { return std::make_unique<int>(0); });
  std::atomic<int> lent{0}, peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto lease = pool.Acquire();
        int now = ++lent;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --lent;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_LE(pool.created(), 3);
}

}  // namespace
}  // namespace hainfra::transport
