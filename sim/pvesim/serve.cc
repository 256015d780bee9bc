#include "sim/pvesim/serve.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/pvesim/control_api.h"
#include "sim/pvesim/ha_manager.h"
#include "sim/pvesim/http_server.h"
#include "sim/pvesim/lab_seed.h"
#include "sim/pvesim/memory_cluster_fs.h"
#include "sim/pvesim/sim_node_facts.h"
#include "sim/pvesim/tls_cert.h"
#include "sim/pvesim/world.h"

namespace pvesim {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Removes a temporary state dir at exit.
struct TempDir {
  std::string path;
  ~TempDir() {
    if (!path.empty()) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
};

}  // namespace

int RunServe(const Options& options_in, std::ostream& out, std::ostream& err) {
  // Block SIGTERM/SIGINT before any thread exists; a dedicated thread waits for them and stops the server
  // (the state is flushed on the way out).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Writes to connections the client (or a fault) closed must fail with EPIPE, not kill the process.
  signal(SIGPIPE, SIG_IGN);
  Options options = options_in;
  TempDir temp;
  std::string state_dir = options.state_dir;
  if (state_dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "pvesim-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      err << "pvesim: unable to create a temporary state dir\n";
      return 1;
    }
    state_dir = temp.path = tmpl;
  }
  std::error_code ec;
  if (options.reset) fs::remove_all(state_dir, ec);
  fs::create_directories(state_dir, ec);
  if (ec) {
    err << "pvesim: unable to create state dir '" << state_dir << "': " << ec.message() << "\n";
    return 1;
  }
  std::string state_file = state_dir + "/state.json";
  auto saved = StateStore::Load(state_file);
  if (!saved) {
    err << "pvesim: " << saved.error().message;
    return 1;
  }
  bool fresh = saved->is_null();

  // The world decides the node list; an existing state keeps its own.
  WorldSpec world;
  if (fresh) {
    auto w = !options.world_file.empty() ? LoadWorldFile(options.world_file, options)
             : !options.generate.empty() ? GenerateWorld(options.generate, options)
                                         : DefaultWorld(options);
    if (!w) {
      err << "pvesim: " << w.error().message;
      return 1;
    }
    world = std::move(*w);
    options.pve = world.pve;
  } else {
    int saved_pve = saved->value("pve", 9);
    if (saved_pve != options.pve && options_in.pve != 9)
      err << "pvesim: the state dir holds a PVE " << saved_pve << " cluster; using it\n";
    options.pve = saved_pve;
  }
  std::string local_node = fresh ? world.nodes.front().name : saved->value("local_node", std::string());

  Credentials credentials = fresh ? Credentials{} : Credentials::FromJson(saved->value("credentials", json::object()));
  if (!options.password.empty()) credentials.root_password = options.password;
  if (credentials.root_password.empty()) credentials.root_password = RandomPassword();
  if (!options.token_secret.empty()) credentials.token_secrets["root@pam!hainfra"] = options.token_secret;
  if (!credentials.token_secrets.contains("root@pam!hainfra")) credentials.token_secrets["root@pam!hainfra"] = RandomUuid();
  std::string control_token = options.control_token.empty() ? RandomUuid() : options.control_token;

  auto tls = EnsureCertificate(state_dir + "/pve-ssl.pem", state_dir + "/pve-ssl.key");
  if (!tls) {
    err << "pvesim: " << tls.error().message;
    return 1;
  }

  auto backends = MakeBackends(options, state_dir, local_node);
  if (!backends) {
    err << "pvesim: " << backends.error().message;
    return 1;
  }
  RuntimeState runtime;
  if (fresh) {
    // With --lab the lab is the world: only what the API needs and the lab lacks is written.
    auto st = options.lab_dir.empty() ? SeedWorld(world, *backends, runtime, credentials, ReadFile(tls->cert_file))
                                      : SeedLab(options, *backends, runtime, credentials, ReadFile(tls->cert_file));
    if (!st) {
      err << "pvesim: " << st.error().message;
      return 1;
    }
  } else {
    backends->facts->LoadState(saved->value("facts", json()));
    runtime = RuntimeState::FromJson(saved->value("runtime", json()));
  }

  std::unique_ptr<ApiSchema> schema;
  if (!options.api_schema.empty()) {
    auto s = ApiSchema::Load(options.api_schema);
    if (!s) {
      err << "pvesim: " << s.error().message;
      return 1;
    }
    schema = std::move(*s);
  }

  Simulator sim(options, std::move(*backends), std::move(schema), credentials, std::move(runtime), state_file,
                tls->fingerprint);
  sim.faults().SetLatency(options.latency_ms, options.jitter_ms);
  sim.faults().SetDropRate(options.drop_rate);
  for (const auto& [status, rate] : options.error_rates) sim.faults().SetErrorRate(status, rate);
  for (const auto& rule : options.fault_rules) {
    json j;
    try {
      j = json::parse(rule);
    } catch (const json::exception& e) {
      err << "pvesim: --fault: not JSON: " << e.what() << "\n";
      return 2;
    }
    auto id = sim.faults().AddRule(j);
    if (!id) {
      err << "pvesim: --fault: " << id.error().message;
      return 2;
    }
  }
  for (const auto& node : options.offline_nodes) {
    if (auto st = sim.facts().SetOnline(node, false); !st) {
      err << "pvesim: --offline: " << st.error().message;
      return 2;
    }
  }
  if (options.no_quorum) (void)sim.facts().SetIsolated(true);
  sim.MarkDirty();

  ControlApi control(sim, control_token);
  HttpServer server(sim, [&control](const HttpRequestView& r) { return control.Handle(r); },
                    options.http ? "" : tls->cert_file, options.http ? "" : tls->key_file, options.threads);
  auto port = server.Bind(options.bind, options.port);
  if (!port) {
    err << "pvesim: " << port.error().message;
    return 1;
  }

  // Other nodes' own APIs (a spare node joins the cluster through its own API).
  std::vector<std::unique_ptr<HttpServer>> node_servers;
  std::string node_endpoints;
  std::string scheme = options.http ? "http" : "https";
  std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  if (options.node_ports) {
    for (const auto& node : sim.facts().Nodes()) {
      if (node == sim.LocalNode()) continue;
      auto s = std::make_unique<HttpServer>(sim, [&control](const HttpRequestView& r) { return control.Handle(r); },
                                            options.http ? "" : tls->cert_file, options.http ? "" : tls->key_file,
                                            std::max(8, options.threads / 4), node);
      auto p = s->Bind(options.bind, 0);
      if (!p) {
        err << "pvesim: " << p.error().message;
        return 1;
      }
      node_endpoints += (node_endpoints.empty() ? "" : ",") + node + "=" + scheme + "://" + host + ":" + std::to_string(*p);
      node_servers.push_back(std::move(s));
    }
  }
  std::vector<std::thread> node_threads;
  for (auto& s : node_servers) node_threads.emplace_back([&s] { s->Run(); });

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
    for (auto& s : node_servers) s->Stop();
  });

  HaManager ha(sim);
  ha.Start();

  out << "HAINFRA_API_ENDPOINT=" << scheme << "://" << host << ":" << *port << "\n";
  out << "HAINFRA_API_TOKEN=root@pam!hainfra\n";
  out << "HAINFRA_API_SECRET=" << credentials.token_secrets["root@pam!hainfra"] << "\n";
  out << "HAINFRA_API_PASSWORD=" << credentials.root_password << "\n";
  if (!options.http) {
    out << "HAINFRA_TLS_FINGERPRINT=" << tls->fingerprint << "\n";
    out << "HAINFRA_CA_FILE=" << fs::absolute(tls->cert_file).string() << "\n";
  }
  out << "PVESIM_CONTROL_TOKEN=" << control_token << "\n";
  if (!node_endpoints.empty()) out << "PVESIM_NODE_ENDPOINTS=" << node_endpoints << "\n";
  out << "PVESIM_STATE_DIR=" << fs::absolute(state_dir).string() << "\n";
  out << "PVESIM_READY=1\n";
  out.flush();

  server.Run();
  // Wake the signal thread if the server stopped for another reason.
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  for (auto& s : node_servers) s->Stop();
  for (auto& t : node_threads) t.join();
  ha.Stop();
  return 0;
}

}  // namespace pvesim
