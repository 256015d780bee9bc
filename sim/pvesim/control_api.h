// The control API outside /api2 (/pvesim/...), protected by its own bearer token: node offline/online,
// quorum loss, request faults and task-failure rules, held guest locks, package versions, the request log
// and raw /etc/pve files. For tests, benchmarks and the demo; no Proxmox client ever calls it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/pvesim/api_dispatch.h"

namespace pvesim {

class ControlApi {
 public:
  ControlApi(Simulator& sim, std::string token) : sim_(sim), token_(std::move(token)) {}
  // Releases held guest locks at once and waits for their holder threads.
  ~ControlApi();
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  HttpAnswer Handle(const HttpRequestView& request);

 private:
  Result<nlohmann::json> Route(const std::string& method, const std::vector<std::string>& segs,
                               const nlohmann::json& body, const HttpRequestView& request);

  Simulator& sim_;
  std::string token_;
  std::mutex holders_mu_;
  std::condition_variable holders_cv_;
  bool stopping_ = false;
  std::vector<std::thread> holders_;  // POST /pvesim/locks/{vmid}
};

}  // namespace pvesim
