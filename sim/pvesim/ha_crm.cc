// One round of the simulated HA stack (see ha_manager.h).
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/ha_manager.h"

namespace pvesim {

namespace {

// Nodes asked to reboot come back when their time is up.
void FinishReboots(Simulator& sim) {
  std::vector<std::string> back;
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    int64_t now = NowMs();
    for (auto it = sim.runtime().rebooting.begin(); it != sim.runtime().rebooting.end();) {
      if (it->second <= now) {
        back.push_back(it->first);
        it = sim.runtime().rebooting.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& node : back) (void)sim.facts().SetOnline(node, true);
  if (!back.empty()) sim.MarkDirty();
}

}  // namespace

void HaTick(Simulator& sim) { FinishReboots(sim); }

}  // namespace pvesim
