// Counters of the API client for benchmarks and metrics: requests, retries, bytes, connections, latency.
// Lock-free (atomics), so worker threads update them without contention.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace hainfra::transport {

// Upper bounds (microseconds) of the latency histogram's buckets; the last bucket takes everything above.
inline constexpr std::array<uint64_t, 11> kLatencyBucketsUs = {
    500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 500000, 1000000, 5000000};

// A consistent-enough snapshot (each field is read atomically; fields may be a request apart).
struct ApiCounters {
  uint64_t requests = 0;          // HTTP attempts, retries included
  uint64_t retries = 0;           // attempts that were repeats of a failed one
  uint64_t failures = 0;          // calls that returned an error to the caller
  uint64_t connections = 0;       // new TCP connections opened (keep-alive reuse keeps this low)
  uint64_t logins = 0;            // ticket logins (POST /access/ticket)
  uint64_t bytes_sent = 0;        // request headers + bodies
  uint64_t bytes_received = 0;    // response headers + bodies
  uint64_t latency_sum_us = 0;    // of all attempts
  uint64_t latency_max_us = 0;
  std::array<uint64_t, kLatencyBucketsUs.size() + 1> latency_histogram{};

  // "requests=12 retries=1 … latency avg=1.2ms max=3.4ms", for benchmarks and debug logs.
  std::string Summary() const;
};

class ApiMetrics {
 public:
  void RecordAttempt(uint64_t latency_us, uint64_t sent, uint64_t received, uint64_t new_connections);
  void RecordRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  void RecordFailure() { failures_.fetch_add(1, std::memory_order_relaxed); }
  void RecordLogin() { logins_.fetch_add(1, std::memory_order_relaxed); }
  ApiCounters Snapshot() const;

 private:
  std::atomic<uint64_t> requests_{0}, retries_{0}, failures_{0}, connections_{0}, logins_{0};
  std::atomic<uint64_t> bytes_sent_{0}, bytes_received_{0}, latency_sum_us_{0}, latency_max_us_{0};
  std::array<std::atomic<uint64_t>, kLatencyBucketsUs.size() + 1> histogram_{};
};

}  // namespace hainfra::transport
