#include "providers/transport/api_counters.h"

#include <cstdio>

namespace hainfra::transport {

void ApiMetrics::RecordAttempt(uint64_t latency_us, uint64_t sent, uint64_t received, uint64_t new_connections) {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  requests_.fetch_add(1, kRelaxed);
  connections_.fetch_add(new_connections, kRelaxed);
  bytes_sent_.fetch_add(sent, kRelaxed);
  bytes_received_.fetch_add(received, kRelaxed);
  latency_sum_us_.fetch_add(latency_us, kRelaxed);
  uint64_t seen = latency_max_us_.load(kRelaxed);
  while (latency_us > seen && !latency_max_us_.compare_exchange_weak(seen, latency_us, kRelaxed)) {
  }
  size_t bucket = 0;
  while (bucket < kLatencyBucketsUs.size() && latency_us > kLatencyBucketsUs[bucket]) ++bucket;
  histogram_[bucket].fetch_add(1, kRelaxed);
}

ApiCounters ApiMetrics::Snapshot() const {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  ApiCounters c;
  c.requests = requests_.load(kRelaxed);
  c.retries = retries_.load(kRelaxed);
  c.failures = failures_.load(kRelaxed);
  c.connections = connections_.load(kRelaxed);
  c.logins = logins_.load(kRelaxed);
  c.bytes_sent = bytes_sent_.load(kRelaxed);
  c.bytes_received = bytes_received_.load(kRelaxed);
  c.latency_sum_us = latency_sum_us_.load(kRelaxed);
  c.latency_max_us = latency_max_us_.load(kRelaxed);
  for (size_t i = 0; i < histogram_.size(); ++i) c.latency_histogram[i] = histogram_[i].load(kRelaxed);
  return c;
}

std::string ApiCounters::Summary() const {
  double avg_ms = requests == 0 ? 0.0 : static_cast<double>(latency_sum_us) / 1000.0 / static_cast<double>(requests);
  char text[256];
  std::snprintf(text, sizeof text,
                "requests=%llu retries=%llu failures=%llu connections=%llu logins=%llu sent=%lluB "
                "received=%lluB latency avg=%.2fms max=%.2fms",
                static_cast<unsigned long long>(requests), static_cast<unsigned long long>(retries),
                static_cast<unsigned long long>(failures), static_cast<unsigned long long>(connections),
                static_cast<unsigned long long>(logins), static_cast<unsigned long long>(bytes_sent),
                static_cast<unsigned long long>(bytes_received), avg_ms,
                static_cast<double>(latency_max_us) / 1000.0);
  return text;
}

}  // namespace hainfra::transport
