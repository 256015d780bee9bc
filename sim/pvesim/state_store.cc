#include "sim/pvesim/state_store.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pvesim {

using json = nlohmann::json;

StateStore::StateStore(std::string file, std::function<json()> snapshot)
    : file_(std::move(file)), snapshot_(std::move(snapshot)) {
  if (!file_.empty()) thread_ = std::thread([this] { Run(); });
}

StateStore::~StateStore() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<json> StateStore::Load(const std::string& file) {
  std::ifstream in(file);
  if (!in) return json(nullptr);
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::exception& e) {
    return Die("state file '" + file + "' is not valid JSON: " + e.what());
  }
}

void StateStore::MarkDirty() {
  if (file_.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = true;
  }
  cv_.notify_all();
}

Status StateStore::Flush() {
  if (file_.empty()) return Ok();
  std::string text = snapshot_().dump(1) + "\n";
  std::string tmp = file_ + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out) return Die("unable to write '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
  if (ec) return Die("unable to rename '" + tmp + "': " + ec.message());
  return Ok();
}

void StateStore::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return dirty_ || stop_; });
    if (stop_) break;
    // Coalesce bursts of changes into one write.
    cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; });
    dirty_ = false;
    lock.unlock();
    (void)Flush();
    lock.lock();
  }
  lock.unlock();
  (void)Flush();
}

}  // namespace pvesim
