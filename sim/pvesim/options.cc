#include "sim/pvesim/options.h"

#include <sstream>

#include "sim/pvesim/formats.h"

namespace pvesim {
namespace {

std::expected<long, std::string> ToLong(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    long n = std::stol(v, &used);
    if (used == v.size()) return n;
  } catch (...) {
  }
  return std::unexpected("--" + flag + ": '" + v + "' is not a number");
}

std::expected<double, std::string> ToRate(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    double d = std::stod(v, &used);
    if (used == v.size() && d >= 0 && d <= 1) return d;
  } catch (...) {
  }
  return std::unexpected("--" + flag + ": '" + v + "' is not a rate between 0 and 1");
}

std::vector<std::string> NodeNames(const std::string& spec) {
  std::vector<std::string> names;
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos) {
    int n = std::stoi(spec);
    for (int i = 1; i <= n; ++i) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "pve-%02d", i);
      names.push_back(buf);
    }
    return names;
  }
  return SplitList(spec);
}

}  // namespace

std::expected<Options, std::string> ParseServeOptions(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0) return std::unexpected("unexpected argument '" + arg + "'");
    std::string flag = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    static const char* kSwitches[] = {"http", "reset", "ceph", "no-quorum", "node-ports", "no-cluster"};
    bool is_switch = false;
    for (const char* s : kSwitches) is_switch |= flag == s;
    if (is_switch) {
      if (flag == "http") o.http = true;
      if (flag == "reset") o.reset = true;
      if (flag == "ceph") o.ceph = true;
      if (flag == "no-quorum") o.no_quorum = true;
      if (flag == "node-ports") o.node_ports = true;
      if (flag == "no-cluster") o.no_cluster = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return std::unexpected("--" + flag + " needs a value");
      value = args[++i];
    }
    auto num = [&]() { return ToLong(flag, value); };
    if (flag == "port") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      if (*n < 0 || *n > 65535) return std::unexpected("--port: " + value + " is not a port");
      o.port = static_cast<int>(*n);
    } else if (flag == "bind") {
      o.bind = value;
    } else if (flag == "threads") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      if (*n < 8) return std::unexpected("--threads: at least 8");
      o.threads = static_cast<int>(*n);
    } else if (flag == "state-dir") {
      o.state_dir = value;
    } else if (flag == "pve") {
      if (value != "8" && value != "9") return std::unexpected("--pve: 8 or 9, not '" + value + "'");
      o.pve = std::stoi(value);
    } else if (flag == "nodes") {
      o.nodes = NodeNames(value);
      if (o.nodes.empty()) return std::unexpected("--nodes: give a count or a list of names");
      for (const auto& n : o.nodes)
        if (CheckNamedFormat("pve-node", n)) return std::unexpected("--nodes: '" + n + "' is not a valid node name");
    } else if (flag == "spare-nodes") {
      o.spare_nodes = SplitList(value);
    } else if (flag == "cluster-name") {
      if (CheckNamedFormat("pve-node", value) || value.size() > 15)
        return std::unexpected("--cluster-name: '" + value + "' is not a valid cluster name");
      o.cluster_name = value;
    } else if (flag == "mgmt-cidr") {
      if (CheckNamedFormat("CIDRv4", value)) return std::unexpected("--mgmt-cidr: '" + value + "' is not an IPv4 CIDR");
      o.mgmt_cidr = value;
    } else if (flag == "world") {
      o.world_file = value;
    } else if (flag == "generate") {
      o.generate = value;
    } else if (flag == "api-schema") {
      o.api_schema = value;
    } else if (flag == "task-duration") {
      if (auto eq = value.find('='); eq != std::string::npos) {
        auto n = ToLong(flag, value.substr(eq + 1)); if (!n) return std::unexpected(n.error());
        o.task_durations[value.substr(0, eq)] = std::chrono::milliseconds(*n);
      } else {
        auto n = num(); if (!n) return std::unexpected(n.error());
        o.task_duration = std::chrono::milliseconds(*n);
      }
    } else if (flag == "lock-timeout") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      o.lock_timeout = std::chrono::milliseconds(*n);
    } else if (flag == "auth-failure-delay") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      o.auth_failure_delay = std::chrono::milliseconds(*n);
    } else if (flag == "ha-tick") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      if (*n < 10) return std::unexpected("--ha-tick: at least 10 ms");
      o.ha_tick = std::chrono::milliseconds(*n);
    } else if (flag == "password") {
      o.password = value;
    } else if (flag == "token-secret") {
      o.token_secret = value;
    } else if (flag == "control-token") {
      o.control_token = value;
    } else if (flag == "latency") {
      auto colon = value.find(':');
      auto n = ToLong(flag, value.substr(0, colon)); if (!n) return std::unexpected(n.error());
      o.latency_ms = static_cast<int>(*n);
      if (colon != std::string::npos) {
        auto j = ToLong(flag, value.substr(colon + 1)); if (!j) return std::unexpected(j.error());
        o.jitter_ms = static_cast<int>(*j);
      }
    } else if (flag == "error-rate") {
      auto eq = value.find('=');
      if (eq == std::string::npos) return std::unexpected("--error-rate: STATUS=RATE, e.g. 503=0.1");
      auto status = ToLong(flag, value.substr(0, eq)); if (!status) return std::unexpected(status.error());
      if (*status < 400 || *status > 599) return std::unexpected("--error-rate: status " + value.substr(0, eq) + " is not an error status");
      auto rate = ToRate(flag, value.substr(eq + 1)); if (!rate) return std::unexpected(rate.error());
      o.error_rates[static_cast<int>(*status)] = *rate;
    } else if (flag == "drop-rate") {
      auto rate = ToRate(flag, value); if (!rate) return std::unexpected(rate.error());
      o.drop_rate = *rate;
    } else if (flag == "fault") {
      o.fault_rules.push_back(value);
    } else if (flag == "offline") {
      for (const auto& n : SplitList(value)) o.offline_nodes.push_back(n);
    } else if (flag == "seed") {
      auto n = num(); if (!n) return std::unexpected(n.error());
      o.seed = static_cast<unsigned>(*n);
    } else if (flag == "request-log") {
      o.request_log = value;
    } else if (flag == "lab") {
      o.lab_dir = value;
    } else {
      return std::unexpected("unknown flag --" + flag + " (see pvesim --help)");
    }
  }
  if (o.nodes.empty()) o.nodes = NodeNames("3");
  for (const auto& off : o.offline_nodes) {
    bool known = false;
    for (const auto& n : o.nodes) known |= n == off;
    if (!known) return std::unexpected("--offline: '" + off + "' is not one of the nodes");
  }
  return o;
}

std::string Usage() {
  return R"(usage: pvesim serve [flags]

A simulated Proxmox VE cluster API (see docs/pvesim.md). Prints HAINFRA_...=value lines once ready.

listening:   --port N (0: any free port; default 8006)  --bind ADDR (127.0.0.1)  --http  --threads N (128)
             --node-ports (every other node's API on a port of its own: PVESIM_NODE_ENDPOINTS)
state:       --state-dir DIR (kept across runs; default: a temp dir)  --reset
world:       --pve 8|9 (9)  --nodes N|a,b,c (3)  --spare-nodes a,b  --cluster-name NAME (pvesim)  --no-cluster
             --mgmt-cidr CIDR (10.10.0.0/24)  --ceph  --world FILE.json
             --generate nodes=16,vms=2000,ha=200,vlans=40,pools=8
validation:  --api-schema FILE (pve8/pve9-api-schema.json: every request is checked against it)
behaviour:   --task-duration MS | TYPE=MS (500)  --lock-timeout MS (10000)  --auth-failure-delay MS (3000)
             --ha-tick MS (1000)  --password PW  --token-secret S  --control-token T
faults:      --latency MS[:JITTER]  --error-rate STATUS=RATE  --drop-rate RATE  --fault JSON
             --offline NODE  --no-quorum  --seed N
logging:     --request-log FILE (JSON lines)
lab:         --lab DIR (node facts and /etc/pve from a running pvelab)
)";
}

}  // namespace pvesim
