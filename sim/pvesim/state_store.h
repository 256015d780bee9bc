// Persistence of the simulator's own state (state.json in the state dir): written atomically by a
// background flusher shortly after a change and once more at shutdown.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

class StateStore {
 public:
  // `file` empty: nothing is persisted.
  StateStore(std::string file, std::function<nlohmann::json()> snapshot);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  static Result<nlohmann::json> Load(const std::string& file);  // null json when absent

  void MarkDirty();
  Status Flush();  // writes now

 private:
  void Run();

  std::string file_;
  std::function<nlohmann::json()> snapshot_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace pvesim
