// The command line of `pvesim serve`: every flag in one struct, parsed without external libraries.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/pvesim/error.h"

namespace pvesim {

struct Options {
  // Listening
  std::string bind = "127.0.0.1";
  int port = 8006;
  bool http = false;  // plain HTTP instead of HTTPS
  bool node_ports = false;  // one more listener per other node (its own API, e.g. for joining)
  int threads = 128;

  // State and world
  std::string state_dir;  // empty: a temporary dir removed at exit
  bool reset = false;     // discard an existing state dir's contents
  int pve = 9;            // 8 or 9
  std::vector<std::string> nodes;  // names; default pve-01..pve-03
  std::vector<std::string> spare_nodes;  // installed nodes not (yet) cluster members
  std::string cluster_name = "pvesim";
  std::string mgmt_cidr = "10.10.0.0/24";  // node i gets .(10+i), gateway .1
  bool ceph = false;
  bool no_cluster = false;  // standalone node(s): no corosync.conf (pvecm create not run)
  std::string world_file;
  std::string generate;  // "nodes=16,vms=2000,ha=200,vlans=40,pools=8"
  std::string api_schema;

  // Behaviour
  std::chrono::milliseconds task_duration{500};
  std::map<std::string, std::chrono::milliseconds> task_durations;  // per task type
  std::chrono::milliseconds lock_timeout{10000};
  std::chrono::milliseconds auth_failure_delay{3000};
  std::chrono::milliseconds ha_tick{1000};
  std::string password;       // root@pam; generated and kept in the state when empty
  std::string token_secret;   // root@pam!hainfra; generated when empty
  std::string control_token;  // the control API's bearer token; generated when empty

  // Faults from the start
  int latency_ms = 0;
  int jitter_ms = 0;
  std::map<int, double> error_rates;  // status -> probability
  double drop_rate = 0;
  std::vector<std::string> fault_rules;  // JSON objects, as the control API takes them
  std::vector<std::string> offline_nodes;
  bool no_quorum = false;
  unsigned seed = 0;  // 0: random

  std::string request_log;  // JSON lines file
  std::string lab_dir;      // --lab DIR: node facts and /etc/pve from pvelab (see backends.cc)
};

// Parses `serve` arguments (argv after the subcommand). Errors name the flag.
std::expected<Options, std::string> ParseServeOptions(const std::vector<std::string>& args);

// The usage text of `pvesim`.
std::string Usage();

}  // namespace pvesim
