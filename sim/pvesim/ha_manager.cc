#include "sim/pvesim/ha_manager.h"

#include "sim/pvesim/simulator.h"

namespace pvesim {

void HaManager::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void HaManager::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HaManager::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    HaTick(sim_);
    lock.lock();
    cv_.wait_for(lock, sim_.options().ha_tick, [this] { return stop_; });
  }
}

}  // namespace pvesim
