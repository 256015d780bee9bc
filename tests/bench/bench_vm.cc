// Benchmark (issue 7): the VM kind against pvesim with 20 ms latency per request.
//  1. plan a generated 16-node cluster with 2,000 VMs and 1,000 containers (all declared): requests per guest, wall time, the ratio to
//     the ideal (requests / connections x latency), peak memory;
//  2. create 200 VMs spread over 16 nodes in one apply: wall time and failed steps (lock timeouts included).
// Prints the figures; it is not a test and asserts nothing.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "tests/testing/e2e_cluster.h"

using namespace hainfra;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kLatencyMs = 20;
constexpr int kConnections = 8;  // ApiSettings' default max_connections

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string Header(int nodes) {
  std::string text =
      "cluster:\n  name: pvesim\n  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, "
      "secret: \"${env:HAINFRA_BENCH_SECRET_NEVER_SET}\" }\nnodes:\n";
  for (int i = 1; i <= nodes; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "pve-%02d", i);
    text += "  - { name: " + std::string(name) + ", address: 10.10.0." + std::to_string(10 + i) + " }\n";
  }
  return text +
         "storage:\n  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }\n";
}

std::unique_ptr<testing::E2eCluster> Start(std::vector<std::string> args) {
  testing::PvesimOptions options;
  options.args = std::move(args);
  options.args.insert(options.args.end(), {"--latency", std::to_string(kLatencyMs)});
  auto cluster = testing::E2eCluster::Start(options);
  if (cluster->sim().skipped()) {
    std::printf("skipped: %s\n", cluster->sim().error().c_str());
    return nullptr;
  }
  if (!cluster->sim().ok()) {
    std::printf("pvesim did not start: %s\n", cluster->sim().error().c_str());
    return nullptr;
  }
  return cluster;
}

int PlanTwoThousand() {
  auto cluster = Start({"--generate", "nodes=16,vms=2000,cts=1000,ha=200,vlans=40,pools=8"});
  if (!cluster) return 1;
  std::string vms = "vms:\n", cts = "containers:\n";
  int declared = 0, declared_cts = 0;
  for (const auto& e : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    const std::string entry = "  - { vmid: " + std::to_string(e.value("vmid", 0)) + ", node: " + e.value("node", "") + " }\n";
    if (e.value("type", "") == "qemu") vms += entry;
    else if (e.value("type", "") == "lxc") cts += entry, ++declared_cts;
    else continue;
    ++declared;
  }
  auto spec = cluster->Load(Header(16) + vms + cts);
  if (!spec) {
    std::printf("spec: %s\n", spec.error().message.c_str());
    return 1;
  }
  cluster->Client().Control("DELETE", "/requests");
  const auto start = Clock::now();
  auto plan = cluster->MakePlan(*spec);
  const double wall = Seconds(Clock::now() - start);
  if (!plan) {
    std::printf("plan: %s\n", plan.error().message.c_str());
    return 1;
  }
  std::map<std::string, int> by_kind;
  int requests = 0;
  for (const auto& r : cluster->Client().Control("GET", "/requests?limit=100000").data()) {
    const std::string path = r.value("path", "");
    by_kind[path.find("/qemu/") != std::string::npos  ? "GET .../qemu/{vmid}/config"
            : path.find("/lxc/") != std::string::npos ? "GET .../lxc/{vmid}/config"
                                                      : path]++;
    ++requests;
  }
  const double ideal = static_cast<double>(requests) / kConnections * kLatencyMs / 1000.0;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("plan of %d declared guests, %d VMs and %d containers (16 nodes, %d ms latency, %d connections):\n",
              declared, declared - declared_cts, declared_cts, kLatencyMs, kConnections);
  for (const auto& [what, n] : by_kind) std::printf("  %6d  %s\n", n, what.c_str());
  std::printf("  requests per guest: %.4f (target <= 1.1)\n", static_cast<double>(requests) / declared);
  std::printf("  wall: %.2f s, ideal %.2f s, ratio %.2f (target <= 1.5)\n", wall, ideal, wall / ideal);
  std::printf("  steps in the plan: %zu\n", plan->steps.size());
  std::printf("  peak memory of this process (client side): %ld MB (target <= 200)\n", usage.ru_maxrss / 1024);
  return 0;
}

int CreateTwoHundred() {
  auto cluster = Start({"--nodes", "16"});
  if (!cluster) return 1;
  std::string vms = "vms:\n";
  for (int i = 0; i < 200; ++i) {
    char node[16];
    std::snprintf(node, sizeof node, "pve-%02d", 1 + i % 16);
    vms += "  - { vmid: " + std::to_string(1000 + i) + ", node: " + node +
           ", cores: 1, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 1G } ], "
           "nets: [ { slot: net0, bridge: vmbr0 } ] }\n";
  }
  auto spec = cluster->Load(Header(16) + vms);
  if (!spec) {
    std::printf("spec: %s\n", spec.error().message.c_str());
    return 1;
  }
  const auto start = Clock::now();
  testing::CommandRun run = cluster->RunApply(*spec);
  const double wall = Seconds(Clock::now() - start);
  const size_t summary = run.out.rfind("Apply");
  std::printf("200 VM creates over 16 nodes: exit %d, wall %.2f s\n  %s\n", run.exit_code, wall,
              summary == std::string::npos ? "(no summary)" : run.out.substr(summary, run.out.find('\n', summary) - summary).c_str());
  int lock_failures = 0;
  for (const auto& line : {std::string("got timeout")}) {
    for (size_t at = run.out.find(line); at != std::string::npos; at = run.out.find(line, at + 1)) ++lock_failures;
  }
  std::printf("  lock-timeout failures: %d\n", lock_failures);
  auto again = cluster->MakePlan(*spec);
  std::printf("  second plan: %s\n", again ? (again->empty() ? "empty" : "NOT empty") : again.error().message.c_str());
  return run.exit_code == 0 ? 0 : 1;
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // pvesim is forked from this process: no buffered output twice
  int failed = PlanTwoThousand();
  failed |= CreateTwoHundred();
  return failed;
}
