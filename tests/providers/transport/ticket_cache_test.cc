#include "providers/transport/ticket_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace hainfra::transport {
namespace {

using Clock = TicketCache::Clock;
using std::chrono::minutes;

struct Logins {
  std::atomic<int> count{0};
  TicketCache::Login Fn() {
    return [this]() -> Result<Ticket> {
      int n = ++count;
      return Ticket{"ticket" + std::to_string(n), "csrf" + std::to_string(n), 0};
    };
  }
};

TEST(TicketCache, FreshTicketIsReused) {
  TicketCache cache(minutes(90));
  Logins logins;
  Clock::time_point t0{minutes(1000)};
  auto a = cache.Get(t0, 0, logins.Fn());
  auto b = cache.Get(t0 + minutes(89), 0, logins.Fn());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ticket, "ticket1");
  EXPECT_EQ(b->ticket, "ticket1");
  EXPECT_EQ(a->generation, 1u);
  EXPECT_EQ(logins.count.load(), 1);
}

TEST(TicketCache, OldTicketIsRenewed) {
  TicketCache cache(minutes(90));
  Logins logins;
  Clock::time_point t0{minutes(1000)};
  ASSERT_TRUE(cache.Get(t0, 0, logins.Fn()));
  auto renewed = cache.Get(t0 + minutes(90), 0, logins.Fn());
  ASSERT_TRUE(renewed);
  EXPECT_EQ(renewed->ticket, "ticket2");
  EXPECT_EQ(renewed->generation, 2u);
}

TEST(TicketCache, RejectedGenerationForcesALoginOnlyOnce) {
  TicketCache cache(minutes(90));
  Logins logins;
  Clock::time_point t0{minutes(1000)};
  auto first = cache.Get(t0, 0, logins.Fn());
  auto second = cache.Get(t0, first->generation, logins.Fn());
  EXPECT_EQ(second->ticket, "ticket2");
  // A second thread that saw the same rejected ticket reuses the new one.
  auto third = cache.Get(t0, first->generation, logins.Fn());
  EXPECT_EQ(third->ticket, "ticket2");
  EXPECT_EQ(logins.count.load(), 2);
}

TEST(TicketCache, FailedLoginIsReturnedAndRetriedNextTime) {
  TicketCache cache(minutes(90));
  int calls = 0;
  auto failing = [&]() -> Result<Ticket> {
    ++calls;
    return Fail(Code::kPermissionDenied, "authentication failure");
  };
  Clock::time_point t0{minutes(1000)};
  EXPECT_FALSE(cache.Get(t0, 0, failing));
  EXPECT_FALSE(cache.Get(t0, 0, failing));
  EXPECT_EQ(calls, 2);
}

TEST(TicketCache, ConcurrentCallersShareOneLogin) {
  TicketCache cache(minutes(90));
  std::atomic<int> count{0};
  auto slow = [&]() -> Result<Ticket> {
    ++count;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return Ticket{"t", "c", 0};
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { EXPECT_TRUE(cache.Get(Clock::time_point{minutes(1000)}, 0, slow)); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(count.load(), 1);
}

TEST(TicketCache, TfaUsersAreRefusedClearly) {
  auto ticket = ParseTicketAnswer({{"ticket", "PVE:root@pam:x"}, {"CSRFPreventionToken", "c"}, {"NeedTFA", 1}}, "root@pam");
  ASSERT_FALSE(ticket);
  EXPECT_EQ(ticket.error().code, Code::kPermissionDenied);
  EXPECT_NE(ticket.error().message.find("two-factor"), std::string::npos);
  EXPECT_FALSE(ParseTicketAnswer({{"username", "root@pam"}}, "root@pam"));
  EXPECT_TRUE(ParseTicketAnswer({{"ticket", "t"}, {"CSRFPreventionToken", "c"}}, "root@pam"));
}

}  // namespace
}  // namespace hainfra::transport
