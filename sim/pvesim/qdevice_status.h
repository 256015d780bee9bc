// The QDevice as the API shows it: GET /cluster/config/qdevice is the local corosync-qdevice's
// "status verbose" (pve-cluster's ClusterConfig.pm reads it from the daemon's socket and keeps a few keys),
// and the QDevice's votes count in votequorum's expected and total votes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pvesim {

// The QDevice's votes from corosync.conf (ParseCorosyncConf's tree): quorum.device.votes, else corosync's
// default, the nodes' votes - 1; 0 when no device is configured.
int QdeviceVotes(const nlohmann::json& conf, int node_votes);

// The simulated daemon's status for a configured device ({} when none): connected unless `connected` is false.
nlohmann::json SimulatedQdeviceStatus(const nlohmann::json& conf, bool connected);

// A real corosync-qdevice's status through its socket (the lab's nodes); {} when no daemon answers there.
nlohmann::json ReadQdeviceSocket(const std::string& socket_path);

}  // namespace pvesim
