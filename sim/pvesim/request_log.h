// The request log: one JSON line per API request (method, path, params without secrets, status,
// duration, user), to a file for tests and benchmarks, plus a bounded in-memory tail for the control API.
#pragma once

#include <cstdio>
#include <deque>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace pvesim {

class RequestLog {
 public:
  // `file` may be empty (memory only).
  explicit RequestLog(const std::string& file);
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  void Record(const std::string& method, const std::string& path, const nlohmann::json& params, int status,
              double duration_ms, const std::string& user);
  // The last `limit` entries, oldest first.
  nlohmann::json Tail(size_t limit) const;
  void Clear();

  // A copy of params with secret values (passwords, tokens, keys) replaced by "<hidden>".
  static nlohmann::json Redact(const nlohmann::json& params);

 private:
  mutable std::mutex mu_;
  FILE* file_ = nullptr;
  std::deque<nlohmann::json> tail_;
};

}  // namespace pvesim
