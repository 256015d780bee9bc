// Loads and validates a generated spec with 10,000 VMs (plus 32 nodes with networks, storages, VNets, HA
// rules and a backup job) and prints the time and objects per second. Target: well under 1 s (release).
//   bench_validate [vms]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/spec/loader.h"

namespace {

std::string GenerateSpec(int vm_count, int node_count) {
  std::string s;
  s.reserve(static_cast<size_t>(vm_count) * 420);
  s += "cluster:\n  name: bench\n  api: { endpoint: \"https://10.0.0.1:8006\", token: hainfra@pve!ci, "
       "secret: \"${env:PVE_TOKEN_SECRET}\" }\n"
       "  corosync:\n    links: [ { id: 0, network: 10.10.0.0/16 }, { id: 1, network: 10.20.0.0/16 } ]\n"
       "    qdevice: { address: 10.0.0.250 }\n";
  s += "nodes:\n";
  for (int n = 1; n <= node_count; ++n) {
    const std::string i = std::to_string(n);
    s += "  - name: pve-" + i + "\n    address: 10.0.1." + i + "\n    baseline: standard\n"
         "    corosync: { link0: 10.10.1." + i + ", link1: 10.20.1." + i + " }\n"
         "    network:\n"
         "      - { iface: vmbr0, type: bridge, ports: [bond0], vlan_aware: true, cidr: 10.0.1." + i +
         "/16, gateway: 10.0.0.254 }\n"
         "      - { iface: bond0, type: bond, slaves: [eno1, eno2], bond_mode: 802.3ad }\n"
         "      - { iface: vmbr0.20, type: vlan, cidr: 10.20.1." + i + "/16 }\n";
  }
  s += "vlans:\n";
  for (int v = 0; v < 8; ++v) {
    s += "  - { name: net" + std::to_string(v) + ", zone: bench, bridge: vmbr0, tag: " + std::to_string(100 + v) + " }\n";
  }
  s += "ceph:\n  pools: [ { name: vm-pool, size: 3, min_size: 2, pg_num: 2048 } ]\n";
  s += "storage:\n"
       "  - { id: ceph-vm, type: rbd, pool: vm-pool, content: [images, rootdir] }\n"
       "  - { id: local, type: dir, path: /var/lib/vz, content: [iso, backup] }\n";
  s += "vms:\n";
  for (int v = 0; v < vm_count; ++v) {
    const std::string id = std::to_string(1000 + v);
    const std::string node = std::to_string(1 + v % node_count);
    s += "  - vmid: " + id + "\n    name: vm-" + id + "\n    node: pve-" + node +
         "\n    cores: 4\n    memory: 8192\n    cpu: host\n    ostype: l26\n    agent: true\n    tags: [bench, t" +
         std::to_string(v % 10) + "]\n    boot: [scsi0]\n"
         "    disks:\n      - { slot: scsi0, storage: ceph-vm, size: 32G, discard: true }\n"
         "      - { slot: scsi1, storage: ceph-vm, size: 100G }\n"
         "    nets: [ { slot: net0, model: virtio, bridge: net" + std::to_string(v % 8) + " } ]\n";
    if (v % 4 == 0) s += "    ha: { state: started }\n";
  }
  s += "ha:\n  rules:\n    - { name: spread, type: resource-affinity, affinity: negative, resources: "
       "[\"vm:1000\", \"vm:1004\", \"vm:1008\"] }\n";
  s += "backup_jobs:\n  - { id: nightly, schedule: \"02:00\", storage: local, all: true }\n";
  s += "baselines:\n  - { name: standard, packages: { present: [chrony] } }\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const int vms = argc > 1 ? std::atoi(argv[1]) : 10000;
  const std::string text = GenerateSpec(vms, 32);
  // Wall time, and the process's CPU time (what the load costs when other work shares the machine).
  std::vector<double> seconds, cpu_seconds;
  size_t objects = 0;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const hainfra::spec::LoadResult result = hainfra::spec::LoadSpecText(text, "bench.yaml");
    const std::clock_t cpu_stop = std::clock();
    const auto stop = std::chrono::steady_clock::now();
    cpu_seconds.push_back(static_cast<double>(cpu_stop - cpu_start) / CLOCKS_PER_SEC);
    if (hainfra::HasErrors(result.diagnostics)) {
      std::fprintf(stderr, "generated spec is invalid: %s\n", result.diagnostics.front().ToString().c_str());
      return 1;
    }
    objects = result.spec.objects.size();
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  const double median = seconds[2];
  std::printf("spec: %d VMs, %zu objects, %.1f MiB of YAML\n", vms, objects,
              static_cast<double>(text.size()) / (1024.0 * 1024.0));
  std::printf("load + validate: median %.3f s wall (best %.3f s, worst %.3f s of 5), median %.3f s CPU\n", median,
              seconds.front(), seconds.back(), cpu_seconds[2]);
  std::printf("throughput: %.0f objects/s, %.1f MiB/s\n", static_cast<double>(objects) / median,
              static_cast<double>(text.size()) / (1024.0 * 1024.0) / median);
  return 0;
}
