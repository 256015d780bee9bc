#include "sim/pvesim/request_log.h"

#include <algorithm>
#include <chrono>

namespace pvesim {

using json = nlohmann::json;

namespace {
constexpr size_t kTailSize = 10000;

bool IsSecretKey(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  static const char* kWords[] = {"password", "secret", "token", "otp", "tfa", "keyring", "encryption-key",
                                 "master-pubkey", "ticket", "csrf"};
  for (const char* w : kWords)
    if (key.find(w) != std::string::npos) return true;
  return key == "key";
}
}  // namespace

RequestLog::RequestLog(const std::string& file) {
  if (!file.empty()) file_ = std::fopen(file.c_str(), "a");
}

RequestLog::~RequestLog() {
  if (file_) std::fclose(file_);
}

json RequestLog::Redact(const json& params) {
  json out = json::object();
  if (!params.is_object()) return out;
  for (auto it = params.begin(); it != params.end(); ++it) out[it.key()] = IsSecretKey(it.key()) ? json("<hidden>") : it.value();
  return out;
}

void RequestLog::Record(const std::string& method, const std::string& path, const json& params, int status,
                        double duration_ms, const std::string& user) {
  double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  json entry = {{"time", now}, {"method", method}, {"path", path}, {"params", Redact(params)},
                {"status", status}, {"duration_ms", duration_ms}, {"user", user}};
  std::string line = entry.dump() + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  tail_.push_back(std::move(entry));
  if (tail_.size() > kTailSize) tail_.pop_front();
}

json RequestLog::Tail(size_t limit) const {
  std::lock_guard<std::mutex> lock(mu_);
  json out = json::array();
  size_t start = tail_.size() > limit ? tail_.size() - limit : 0;
  for (size_t i = start; i < tail_.size(); ++i) out.push_back(tail_[i]);
  return out;
}

void RequestLog::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  tail_.clear();
}

}  // namespace pvesim
