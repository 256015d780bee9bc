// Benchmark (issue 19): bulk observe through pmxcfs against the API observe, with the real `hainfra` binary
// against pvesim (20 ms latency per request) and a real sshd on loopback whose sessions see pvesim's state
// as /etc/pve (tests/testing/sshd_fixture.h; needs root, else the bulk figures are skipped).
//  1. generated world, 16 nodes / 2,000 VMs, every guest declared: `hainfra plan` with HAINFRA_SSH=off (API
//     observe) and with SSH (bulk observe), side by side: round trips (API requests + SSH commands), wall,
//     peak RSS of the hainfra process; goals for the bulk observe: <= 10 round trips, <= 1 s, <= 200 MB;
//  2. 64 nodes / 20,000 guests (16,000 VMs, 4,000 containers): the bulk plan's wall (< 5 s) and RSS (< 1 GB);
//  3. validate + diff of 10,000 guests: `hainfra validate` of the 10,000-guest spec, and a bulk plan of it
//     without added latency (spec loading, one SSH read, parsing 10,000 files, the diff) (< 1 s).
// Prints the figures; it is not a test and asserts nothing.
//   bench_bulk [all|2000|20000|10000]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/sshd_fixture.h"
#include "tests/testing/temp_dir.h"

using namespace hainfra;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kLatencyMs = 20;

struct Run {
  int exit_code = -1;
  double wall = 0;
  double rss_mb = 0;
  std::string output;
};

// Runs `hainfra ARGS` with `env` added to this process's environment; wall and peak RSS of that process.
Run RunHainfra(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               const std::string& log) {
  std::vector<std::string> argv = {std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    (void)out;
    dup2(fileno(stdout), fileno(stderr));
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  Run run;
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.wall = std::chrono::duration<double>(Clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  return run;
}

std::string NodeName(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "pve-%02d", i);
  return name;
}

// A world, an sshd showing its /etc/pve, and the spec declaring every guest.
struct World {
  std::unique_ptr<testing::E2eCluster> cluster;
  std::unique_ptr<testing::SshdFixture> sshd;
  testing::TempDir dir{"bench-bulk"};
  std::string spec;
  int nodes = 0, guests = 0;

  bool Start(int n, const std::string& generate, int latency) {
    nodes = n;
    testing::PvesimOptions options;
    options.args = {"--generate", generate};
    if (latency > 0) options.args.insert(options.args.end(), {"--latency", std::to_string(latency)});
    options.ready_timeout = std::chrono::seconds(300);
    cluster = testing::E2eCluster::Start(options);
    if (cluster->sim().skipped() || !cluster->sim().ok()) {
      std::printf("pvesim: %s\n", cluster->sim().error().c_str());
      return false;
    }
    if (getuid() == 0) {
      sshd = std::make_unique<testing::SshdFixture>(cluster->sim().state_dir() + "/etc-pve");
      if (!sshd->ok()) std::printf("sshd: %s (bulk figures skipped)\n", sshd->error().c_str());
    } else {
      std::printf("not root: no sshd showing pvesim's /etc/pve, bulk figures skipped\n");
    }
    std::string text =
        "cluster:\n  name: pvesim\n  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, "
        "secret: \"${env:HAINFRA_BENCH_SECRET_NEVER_SET}\" }\nnodes:\n";
    for (int i = 1; i <= n; ++i) {
      text += "  - { name: " + NodeName(i) + ", address: 10.10." + std::to_string(i / 200) + "." +
              std::to_string(10 + i % 200) + " }\n";
    }
    std::string vms = "vms:\n", cts = "containers:\n";
    for (const auto& e : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
      const std::string entry =
          "  - { vmid: " + std::to_string(e.value("vmid", 0)) + ", node: " + e.value("node", "") + " }\n";
      (e.value("type", "") == "qemu" ? vms : cts) += entry;
      ++guests;
    }
    spec = dir.File("spec.yaml");
    std::ofstream(spec) << text << vms << cts;
    return true;
  }

  bool bulk() const { return sshd && sshd->ok(); }

  std::map<std::string, std::string> Env(bool ssh) const {
    std::map<std::string, std::string> env;
    for (const auto& [k, v] : cluster->sim().env()) {
      if (k.rfind("HAINFRA_", 0) == 0) env[k] = v;
    }
    env["HAINFRA_SSH"] = ssh ? "on" : "off";
    if (ssh) {
      env["HAINFRA_SSH_USER"] = sshd->user();
      env["HAINFRA_SSH_IDENTITY"] = sshd->client_key();
      env["HAINFRA_SSH_KNOWN_HOSTS"] = sshd->known_hosts();
      std::string addresses;
      for (int i = 1; i <= nodes; ++i) {
        addresses += (i > 1 ? "," : "") + NodeName(i) + "=127.0.0.1:" + std::to_string(sshd->port());
      }
      env["HAINFRA_SSH_ADDRESSES"] = addresses;
    }
    return env;
  }

  size_t SshCommands() const {
    std::string log = sshd->LogTail(size_t{1} << 30);
    size_t n = 0;
    for (size_t at = log.find("Starting session: command"); at != std::string::npos;
         at = log.find("Starting session: command", at + 1)) {
      ++n;
    }
    return n;
  }

  // `hainfra plan` in one mode: requests pvesim logged, SSH commands sshd started, wall, RSS.
  struct Figures {
    Run run;
    size_t requests = 0, ssh = 0;
  };
  Figures Plan(bool ssh, const std::string& name) {
    cluster->Client().Control("DELETE", "/requests");
    const size_t ssh_before = ssh ? SshCommands() : 0;
    Figures f;
    f.run = RunHainfra({"plan", "-f", spec}, Env(ssh), dir.File(name + ".log"));
    f.requests = cluster->Client().Control("GET", "/requests?limit=1000000").data().size();
    f.ssh = ssh ? SshCommands() - ssh_before : 0;
    return f;
  }
};

const char* Verdict(bool ok) { return ok ? "PASS" : "FAIL"; }

void PrintPlan(const char* mode, const World::Figures& f) {
  std::printf("  %-5s exit %d  round trips %6zu (%zu API requests + %zu SSH commands)  wall %6.2f s  peak RSS %6.1f MB\n",
              mode, f.run.exit_code, f.requests + f.ssh, f.requests, f.ssh, f.run.wall, f.run.rss_mb);
  if (f.run.exit_code != 0) std::printf("%s\n", f.run.output.substr(0, 2000).c_str());
}

std::string Line(const std::string& output, const std::string& what) {
  const size_t at = output.find(what);
  if (at == std::string::npos) return "(not said)";
  const size_t start = output.rfind('\n', at);
  const size_t end = output.find('\n', at);
  return output.substr(start == std::string::npos ? 0 : start + 1, end == std::string::npos ? std::string::npos : end - (start + 1));
}

int TwoThousand() {
  World w;
  std::printf("== 16 nodes / 2,000 VMs, %d ms latency per request, every guest declared\n", kLatencyMs);
  if (!w.Start(16, "nodes=16,vms=2000,ha=200,vlans=40,pools=8", kLatencyMs)) return 1;
  auto api = w.Plan(false, "api");
  PrintPlan("api", api);
  if (!w.bulk()) return api.run.exit_code == 0 ? 0 : 1;
  auto bulk = w.Plan(true, "bulk");
  PrintPlan("bulk", bulk);
  std::printf("  bulk said: %s\n", Line(bulk.run.output, "guest configs").c_str());
  const bool ok = bulk.run.exit_code == 0;
  std::printf("  bulk: round trips %zu (goal <= 10) %s, wall %.2f s (goal <= 1 s) %s, RSS %.1f MB (goal <= 200) %s\n",
              bulk.requests + bulk.ssh, Verdict(ok && bulk.requests + bulk.ssh <= 10), bulk.run.wall,
              Verdict(ok && bulk.run.wall <= 1.0), bulk.run.rss_mb, Verdict(ok && bulk.run.rss_mb <= 200));
  // The printed plans, without the bulk observe's note on stderr (merged into the same log here).
  auto plan_text = [](std::string out) {
    const size_t at = out.find("  guest configs read from /etc/pve");
    if (at != std::string::npos) out.erase(at, out.find('\n', at) + 1 - at);
    return out;
  };
  std::printf("  same plan output: %s\n", plan_text(api.run.output) == plan_text(bulk.run.output) ? "yes" : "NO");
  return api.run.exit_code == 0 && bulk.run.exit_code == 0 ? 0 : 1;
}

int TwentyThousand() {
  World w;
  std::printf("== 64 nodes / 20,000 guests (16,000 VMs, 4,000 containers), %d ms latency per request\n", kLatencyMs);
  if (!w.Start(64, "nodes=64,vms=16000,cts=4000", kLatencyMs)) return 1;
  std::printf("  %d guests declared\n", w.guests);
  if (!w.bulk()) return 0;
  auto bulk = w.Plan(true, "bulk");
  PrintPlan("bulk", bulk);
  std::printf("  bulk said: %s\n", Line(bulk.run.output, "guest configs").c_str());
  std::printf("  bulk: wall %.2f s (goal < 5 s) %s, RSS %.1f MB (goal < 1024) %s\n", bulk.run.wall,
              Verdict(bulk.run.exit_code == 0 && bulk.run.wall < 5.0), bulk.run.rss_mb,
              Verdict(bulk.run.exit_code == 0 && bulk.run.rss_mb < 1024));
  std::printf("  (the API observe of this world needs %d config reads: %.0f s of round trips at 8 connections)\n",
              w.guests, w.guests * kLatencyMs / 8.0 / 1000.0);
  return bulk.run.exit_code == 0 ? 0 : 1;
}

int TenThousand() {
  World w;
  std::printf("== validate + diff of 10,000 guests (8,000 VMs, 2,000 containers; no added latency)\n");
  if (!w.Start(16, "nodes=16,vms=8000,cts=2000", 0)) return 1;
  Run validate = RunHainfra({"validate", "-f", w.spec}, {}, w.dir.File("validate.log"));
  std::printf("  hainfra validate: exit %d, wall %.2f s, peak RSS %.1f MB\n", validate.exit_code, validate.wall,
              validate.rss_mb);
  if (!w.bulk()) return 0;
  auto bulk = w.Plan(true, "bulk");
  PrintPlan("bulk", bulk);
  std::printf("  validate + observe + diff (the whole bulk plan): %.2f s (goal < 1 s) %s\n", bulk.run.wall,
              Verdict(bulk.run.exit_code == 0 && bulk.run.wall < 1.0));
  return validate.exit_code == 0 && bulk.run.exit_code == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // pvesim is forked from this process: no buffered output twice
  const std::string which = argc > 1 ? argv[1] : "all";
  int failed = 0;
  if (which == "all" || which == "2000") failed |= TwoThousand();
  if (which == "all" || which == "20000") failed |= TwentyThousand();
  if (which == "all" || which == "10000") failed |= TenThousand();
  return failed;
}
