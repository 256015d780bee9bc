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
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "providers/kinds/ct_config.h"
#include "providers/kinds/pmxcfs_files.h"
#include "providers/kinds/vm_config.h"
#include "providers/pve/guest_conf.h"
#include "providers/transport/ssh_client.h"
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
  std::vector<std::string> argv;
  // HAINFRA_BENCH_WRAP="perf record -g -o FILE --" (or strace ...): the hainfra runs under that command, for
  // analysis (its wall and RSS are then the wrapper's).
  if (const char* wrap = std::getenv("HAINFRA_BENCH_WRAP"); wrap != nullptr && *wrap != '\0') {
    std::istringstream words(wrap);
    for (std::string w; words >> w;) argv.push_back(w);
  }
  argv.push_back(std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra");
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
    execvp(cargv[0], cargv.data());
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
    std::map<std::string, int> paths;  // request paths other than guest configs -> count
  };
  Figures Plan(bool ssh, const std::string& name) {
    cluster->Client().Control("DELETE", "/requests");
    const size_t ssh_before = ssh ? SshCommands() : 0;
    Figures f;
    f.run = RunHainfra({"plan", "-f", spec}, Env(ssh), dir.File(name + ".log"));
    const auto log = cluster->Client().Control("GET", "/requests?limit=1000000").data();
    f.requests = log.size();
    for (const auto& r : log) {
      const std::string path = r.value("method", "") + " " + r.value("path", "");
      if (!path.ends_with("/config")) ++f.paths[path];
    }
    f.ssh = ssh ? SshCommands() - ssh_before : 0;
    return f;
  }
};

const char* Verdict(bool ok) { return ok ? "PASS" : "FAIL"; }

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Where a bulk plan's time goes, each part measured alone in this process: the one SSH read (connect, the
// read script on the node, the transfer), the SHA-1 of every file, parsing every file into the answer GET
// .../config gives and that into the spec's shape (on one thread; the plan spreads it over 8), and the one
// GET /cluster/resources (pvesim building the list, plus its latency).
void Breakdown(World& w) {
  auto ssh = transport::SshClient::Create(w.sshd->Settings("pve-01"));
  if (!ssh) {
    std::printf("  breakdown: no SSH client: %s\n", ssh.error().message.c_str());
    return;
  }
  auto start = Clock::now();
  auto files = providers::ReadPmxcfsFiles(**ssh, "pve-01", providers::PmxcfsObservePatterns());
  const double read = Since(start);
  if (!files) {
    std::printf("  breakdown: the SSH read failed: %s\n", files.error().message.c_str());
    return;
  }
  size_t bytes = 0;
  for (const auto& [path, content] : files->files) bytes += content.size();
  start = Clock::now();
  size_t digests = 0;
  for (const auto& [path, content] : files->files) digests += pve::Sha1Hex(content).size();
  const double sha1 = Since(start);
  start = Clock::now();
  size_t parsed = 0;
  for (const auto& [path, content] : files->files) {
    if (!path.ends_with(".conf")) continue;
    const bool qemu = path.find("/qemu-server/") != std::string::npos;
    const auto type = qemu ? pve::GuestType::kQemu : pve::GuestType::kLxc;
    const Value answer = pve::GuestConfigAnswer(pve::ParseGuestConf(content, type), type);
    auto body = qemu ? providers::vm::ConfigToBody(answer) : providers::ct::ConfigToBody(answer);
    if (body) ++parsed;
  }
  const double parse = Since(start);
  start = Clock::now();
  const size_t listed = w.cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data().size();
  const double list = Since(start);
  std::printf("  breakdown (each alone, in the bench process): SSH read of %zu files (%.1f MB) %.3f s; SHA-1 of them "
              "%.3f s; parse into config answers and spec bodies %.3f s (%zu guests, one thread); GET "
              "/cluster/resources (%zu guests) %.3f s\n",
              files->files.size(), static_cast<double>(bytes) / 1e6, read, sha1, parse, parsed, listed, list);
  (void)digests;
}

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
  Breakdown(w);
  const bool ok = bulk.run.exit_code == 0;
  std::printf("  bulk: round trips %zu (goal <= 10) %s, wall %.2f s (goal <= 1 s) %s, RSS %.1f MB (goal <= 200) %s\n",
              bulk.requests + bulk.ssh, Verdict(ok && bulk.requests + bulk.ssh <= 10), bulk.run.wall,
              Verdict(ok && bulk.run.wall <= 1.0), bulk.run.rss_mb, Verdict(ok && bulk.run.rss_mb <= 200));
  // The printed plans, without the bulk observe's notes on stderr (merged into the same log here).
  auto plan_text = [](const std::string& out) {
    std::string kept;
    for (size_t pos = 0; pos < out.size();) {
      size_t eol = out.find('\n', pos);
      eol = eol == std::string::npos ? out.size() : eol + 1;
      const std::string line = out.substr(pos, eol - pos);
      if (line.find("from /etc/pve") == std::string::npos) kept += line;
      pos = eol;
    }
    return kept;
  };
  std::string requests;
  for (const auto& [path, n] : bulk.paths) requests += (requests.empty() ? "" : ", ") + path + (n > 1 ? " x" + std::to_string(n) : "");
  std::printf("  bulk's API requests: %s\n", requests.c_str());
  const std::string api_text = plan_text(api.run.output), bulk_text = plan_text(bulk.run.output);
  std::printf("  same plan output: %s\n", api_text == bulk_text ? "yes" : "NO");
  if (api_text != bulk_text) std::printf("--- api:\n%s\n--- bulk:\n%s\n", api_text.substr(0, 1500).c_str(), bulk_text.substr(0, 1500).c_str());
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
  Breakdown(w);
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
  Breakdown(w);
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
