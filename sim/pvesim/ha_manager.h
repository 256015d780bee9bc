// The simulated HA stack (CRM + LRMs): a background loop that drives HA-managed guests towards their
// requested state (started/stopped/disabled), places them on online nodes honouring node-affinity rules or
// groups, recovers guests of offline nodes, and on PVE 9 migrates HA groups to rules as pve-ha-manager does.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace pvesim {

class Simulator;

class HaManager {
 public:
  explicit HaManager(Simulator& sim) : sim_(sim) {}
  ~HaManager() { Stop(); }
  HaManager(const HaManager&) = delete;
  HaManager& operator=(const HaManager&) = delete;

  void Start();
  void Stop();

 private:
  void Run();

  Simulator& sim_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

// One CRM round; exposed so tests can step the HA stack without waiting for the tick.
void HaTick(Simulator& sim);

}  // namespace pvesim
