#include "providers/kinds/qdevice_setup.h"

#include <cstdlib>
#include <functional>
#include <thread>

#include "providers/kinds/corosync_rollout.h"
#include "providers/kinds/qdevice.h"
#include "providers/pve/corosync_conf.h"
#include "providers/safety/cluster_health.h"
#include "providers/safety/quorum_gate.h"

namespace hainfra::providers {
namespace {

constexpr const char* kQdConf = "/etc/pve/corosync.conf";
constexpr const char* kQdLocalConf = "/etc/corosync/corosync.conf";
constexpr const char* kQdQnetdCa = "/etc/corosync/qnetd/nssdb/qnetd-cacert.crt";

// The certificate files are binary (DER, PKCS#12): they travel base64-encoded through the SSH sessions.
// Each script takes its arguments as $1.. (every argument is quoted by the SSH client), never spliced in.
constexpr const char* kQdImportCa =
    "set -e; rm -rf /etc/corosync/qdevice/net/nssdb; f=$(mktemp); trap 'rm -f \"$f\"' EXIT; base64 -d >\"$f\"; "
    "corosync-qdevice-net-certutil -i -c \"$f\" >&2";
constexpr const char* kQdRequest =
    "set -e; corosync-qdevice-net-certutil -r -n \"$1\" >&2; base64 -w0 /etc/corosync/qdevice/net/nssdb/qdevice-net-node.crq";
constexpr const char* kQdSign =
    "set -e; f=$(mktemp); trap 'rm -f \"$f\"' EXIT; base64 -d >\"$f\"; corosync-qnetd-certutil -s -c \"$f\" -n \"$1\" >&2; "
    "base64 -w0 \"/etc/corosync/qnetd/nssdb/cluster-$1.crt\"";
constexpr const char* kQdImportSigned =
    "set -e; d=/etc/corosync/qdevice/net/nssdb; base64 -d >\"$d/cluster-$1.crt\"; "
    "corosync-qdevice-net-certutil -M -c \"$d/cluster-$1.crt\" >&2; base64 -w0 \"$d/qdevice-net-node.p12\"";
constexpr const char* kQdImportP12 =
    "set -e; f=$(mktemp); trap 'rm -f \"$f\"' EXIT; base64 -d >\"$f\"; corosync-qdevice-net-certutil -m -c \"$f\" >&2";

struct QdRun {
  KindDeps& deps;
  std::vector<std::string> nodes;  // corosync.conf's members
  std::string cluster;             // totem.cluster_name: the cluster certificate's name
  std::string write_node;          // where /etc/pve/corosync.conf is written
  pve::CorosyncSection conf;       // as read at the start
  std::chrono::milliseconds timeout{60'000};
};

// Runs `argv` on `host`; its stdout, or an error saying what failed where with the command's own words.
Result<std::string> QdExec(QdRun& r, const std::string& host, const std::vector<std::string>& argv,
                           const std::string& what, const std::string& input = "") {
  transport::RunOptions options;
  options.stdin_data = input;
  auto out = r.deps.ssh->Run(host, argv, options);
  if (!out) return Fail(WithContext(out.error(), "qdevice: " + what + " on " + host));
  if (!out->ok()) {
    std::string detail = out->stderr_text.empty() ? out->stdout_text : out->stderr_text;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    return Fail(Code::kFailedPrecondition, "qdevice: " + what + " on " + host + " failed (exit " +
                                               std::to_string(out->exit_status) + "): " + detail);
  }
  return out->stdout_text;
}

Result<std::string> QdScript(QdRun& r, const std::string& host, const char* script, const std::string& what,
                             const std::string& input = "", const std::string& arg = "") {
  std::vector<std::string> argv{"sh", "-c", script, "sh"};
  if (!arg.empty()) argv.push_back(arg);
  return QdExec(r, host, argv, what, input);
}

std::chrono::milliseconds QdTimeout() {
  if (const char* s = std::getenv("HAINFRA_QDEVICE_VERIFY_S"); s != nullptr) {
    if (int v = std::atoi(s); v > 0) return std::chrono::milliseconds(v * 1000);
  }
  return std::chrono::milliseconds(60'000);
}

// Polls `problem` (empty: done) until it is empty or the timeout passes.
Status QdWait(QdRun& r, const std::string& what, const std::function<std::string()>& problem) {
  const auto deadline = std::chrono::steady_clock::now() + r.timeout;
  std::string p;
  while (!(p = problem()).empty()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Fail(Code::kDeadlineExceeded, "qdevice: " + what + " not within " +
                                               std::to_string(r.timeout.count() / 1000) + " s: " + p);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return Ok();
}

int QdVersion(const pve::CorosyncSection& root) {
  for (const pve::CorosyncSection* totem : root.Sections("totem")) {
    return std::atoi(totem->Get("config_version").value_or("0").c_str());
  }
  return 0;
}

// As pvecm: quorate, every member online and reachable over SSH; reads corosync.conf.
Result<QdRun> QdStart(KindDeps& deps) {
  if (Status quorum = safety::CheckQuorum(*deps.api, {}, {}); !quorum) return Fail(quorum.error());
  Result<std::string> node = CorosyncReadNode(deps);
  if (!node) return Fail(node.error());
  QdRun r{deps, {}, "", *node, {}, QdTimeout()};
  Result<std::string> text = deps.ssh->ReadFile(r.write_node, kQdConf);
  if (!text) return Fail(WithContext(text.error(), "qdevice: reading " + std::string(kQdConf)));
  Result<pve::CorosyncSection> conf = pve::ParseCorosyncConf(*text, kQdConf);
  if (!conf) return Fail(conf.error());
  r.conf = *conf;
  Result<pve::CorosyncView> view = pve::ReadCorosyncView(r.conf);
  if (!view) return Fail(view.error());
  r.cluster = view->cluster_name;
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*deps.api);
  if (!status) return Fail(status.error());
  for (const pve::CorosyncNodeEntry& n : view->nodes) {
    auto online = status->online.find(n.name);
    if (online == status->online.end() || !online->second) {
      return Fail(Code::kFailedPrecondition, "qdevice: all nodes must be online (as for `pvecm qdevice`); node '" +
                                                 n.name + "' is offline");
    }
    if (!deps.ssh->settings().addresses.contains(n.name)) {
      return Fail(Code::kFailedPrecondition, "qdevice: node '" + n.name + "' has no SSH address; every node's "
                                             "certificates and corosync-qdevice are set up over SSH");
    }
    r.nodes.push_back(n.name);
  }
  if (r.nodes.empty()) return Fail(Code::kFailedPrecondition, "qdevice: corosync.conf lists no nodes");
  return r;
}

// Writes `next` as the next config_version, waits until every node's corosync.conf has it, reloads corosync
// cluster-wide (`corosync-cfgtool -R`, as pvecm does after its change) and waits until `loaded` holds on
// every node.
Status QdWriteConf(QdRun& r, pve::CorosyncSection next, const std::string& what,
                   const std::function<std::string(const std::string& node)>& loaded) {
  const int version = QdVersion(r.conf) + 1;
  next.Child("totem").Set("config_version", std::to_string(version));
  if (Status written = WriteCorosyncConf(r.deps, r.write_node, next); !written) return written;
  r.conf = next;
  Status spread = QdWait(r, what + ": corosync.conf version " + std::to_string(version) + " on every node", [&] {
    for (const std::string& node : r.nodes) {
      auto text = r.deps.ssh->ReadFile(node, kQdLocalConf);
      if (!text) return node + ": " + text.error().message;
      auto conf = pve::ParseCorosyncConf(*text, kQdLocalConf);
      if (!conf || QdVersion(*conf) < version) return node + " still has an older " + std::string(kQdLocalConf);
    }
    return std::string();
  });
  if (!spread) return spread;
  if (auto reload = QdExec(r, r.write_node, {"corosync-cfgtool", "-R"}, "reloading corosync"); !reload) {
    return Fail(reload.error());
  }
  return QdWait(r, what + ": corosync reloaded on every node", [&] {
    for (const std::string& node : r.nodes) {
      if (std::string p = loaded(node); !p.empty()) return node + ": " + p;
    }
    return std::string();
  });
}

// Empty when `node`'s running corosync has (want) or lacks (!want) a quorum.device.
std::string QdDeviceLoaded(QdRun& r, const std::string& node, bool want) {
  auto out = r.deps.ssh->Run(node, {"corosync-cmapctl", "-g", "quorum.device.model"});
  if (!out) return out.error().message;
  if (out->ok() == want) return "";
  return want ? "corosync has no quorum.device yet" : "corosync still has a quorum.device";
}

// Empty when `node`'s corosync-qdevice is connected to QNetd (corosync-qdevice-tool -s: "State: Connected").
std::string QdConnected(QdRun& r, const std::string& node) {
  auto out = r.deps.ssh->Run(node, {"corosync-qdevice-tool", "-s"});
  if (!out) return out.error().message;
  if (!out->ok()) return "corosync-qdevice-tool -s: " + out->stderr_text + out->stdout_text;
  size_t at = out->stdout_text.find("\nState:");
  if (at == std::string::npos) return "corosync-qdevice-tool -s shows no state";
  std::string line = out->stdout_text.substr(at + 1, out->stdout_text.find('\n', at + 1) - at - 1);
  return line.find("Connected") != std::string::npos ? "" : "corosync-qdevice " + line;
}

Status QdServiceOnEveryNode(QdRun& r, const std::vector<std::string>& verbs) {
  for (const std::string& node : r.nodes) {
    for (const std::string& verb : verbs) {
      if (auto ran = QdExec(r, node, {"systemctl", verb, "corosync-qdevice"}, verb + " corosync-qdevice"); !ran) {
        return Fail(ran.error());
      }
    }
  }
  return Ok();
}

Status QdVerifyConnected(QdRun& r) {
  Status connected = QdWait(r, "corosync-qdevice connected to QNetd on every node", [&] {
    for (const std::string& node : r.nodes) {
      if (std::string p = QdConnected(r, node); !p.empty()) return node + ": " + p;
    }
    return std::string();
  });
  if (!connected) return connected;
  return safety::CheckQuorum(*r.deps.api, {}, {});
}

// The QNetd host: its tools installed, its NSS database (created by the package, else here) and the daemon
// running with it.
Status QdPrepareQnetd(QdRun& r, const std::string& qnetd) {
  if (auto tools = QdScript(r, qnetd, "command -v corosync-qnetd-certutil && command -v corosync-qnetd-tool",
                            "looking for corosync-qnetd");
      !tools) {
    return Fail(Code::kFailedPrecondition, "qdevice: the QNetd host " + qnetd + " has no corosync-qnetd (install the "
                                           "package there: apt-get install corosync-qnetd) — " + tools.error().message);
  }
  bool restart = false;
  if (auto ca = r.deps.ssh->Run(qnetd, {"test", "-f", kQdQnetdCa}); !ca || !ca->ok()) {
    if (auto init = QdExec(r, qnetd, {"corosync-qnetd-certutil", "-i"}, "initializing the QNetd database"); !init) {
      return Fail(init.error());
    }
    restart = true;  // a running QNetd read no database yet
  }
  auto running = [&] {
    auto out = r.deps.ssh->Run(qnetd, {"corosync-qnetd-tool", "-s"});
    return out && out->ok();
  };
  if (!restart && running()) return Ok();
  for (const char* verb : {"restart", "enable"}) {
    if (auto ran = QdExec(r, qnetd, {"systemctl", verb, "corosync-qnetd"}, std::string(verb) + " corosync-qnetd"); !ran) {
      return Fail(ran.error());
    }
  }
  return QdWait(r, "corosync-qnetd running on " + qnetd, [&] { return running() ? "" : std::string("not yet"); });
}

}  // namespace

Status SetUpQdevice(KindDeps& deps, const Value& desired) {
  Result<QdRun> started = QdStart(deps);
  if (!started) return Fail(started.error());
  QdRun& r = *started;
  const QdeviceSettings settings = QdeviceSettingsFor(desired, r.nodes.size());
  const std::string& qnetd = settings.host;
  for (const std::string& node : r.nodes) {
    if (auto tools = QdScript(r, node, "command -v corosync-qdevice && command -v corosync-qdevice-net-certutil",
                              "looking for corosync-qdevice");
        !tools) {
      return Fail(Code::kFailedPrecondition, "qdevice: node " + node + " has no corosync-qdevice (install it on every "
                                             "node, e.g. in the baseline's packages)");
    }
  }
  if (settings.tls != "off") {
    if (Status ready = QdPrepareQnetd(r, qnetd); !ready) return ready;
    // 1. The QNetd CA's certificate into a fresh NSS database on every node.
    auto ca = QdExec(r, qnetd, {"base64", "-w0", kQdQnetdCa}, "reading the QNetd CA certificate");
    if (!ca) return Fail(ca.error());
    for (const std::string& node : r.nodes) {
      if (auto ran = QdScript(r, node, kQdImportCa, "importing the QNetd CA certificate", *ca); !ran) {
        return Fail(ran.error());
      }
    }
    // 2. A certificate request for the cluster on the first node, signed by the QNetd CA.
    const std::string& first = r.nodes.front();
    auto request = QdScript(r, first, kQdRequest, "requesting the cluster certificate", "", r.cluster);
    if (!request) return Fail(request.error());
    auto signed_cert = QdScript(r, qnetd, kQdSign, "signing the cluster certificate", *request, r.cluster);
    if (!signed_cert) return Fail(signed_cert.error());
    // 3. The signed certificate imported where its key is; exported as PKCS#12 for the other nodes.
    auto p12 = QdScript(r, first, kQdImportSigned, "importing the signed cluster certificate", *signed_cert, r.cluster);
    if (!p12) return Fail(p12.error());
    for (const std::string& node : r.nodes) {
      if (node == first) continue;
      if (auto ran = QdScript(r, node, kQdImportP12, "importing the cluster certificate", *p12); !ran) {
        return Fail(ran.error());
      }
    }
  } else {
    // Without TLS only the QNetd daemon is needed, no certificates.
    if (auto running = QdExec(r, qnetd, {"corosync-qnetd-tool", "-s"}, "checking corosync-qnetd"); !running) {
      return Fail(running.error());
    }
  }
  // 4. corosync.conf's quorum.device, loaded by every corosync; then the daemon on every node.
  Status conf = QdWriteConf(r, WithQdevice(r.conf, settings), "adding the QDevice",
                            [&](const std::string& node) { return QdDeviceLoaded(r, node, true); });
  if (!conf) return conf;
  if (Status daemons = QdServiceOnEveryNode(r, {"start", "enable"}); !daemons) return daemons;
  return QdVerifyConnected(r);
}

Status ChangeQdevice(KindDeps& deps, const Value& desired) {
  Result<QdRun> started = QdStart(deps);
  if (!started) return Fail(started.error());
  QdRun& r = *started;
  const QdeviceSettings settings = QdeviceSettingsFor(desired, r.nodes.size());
  Status conf = QdWriteConf(r, WithQdevice(r.conf, settings), "changing the QDevice",
                            [&](const std::string& node) { return QdDeviceLoaded(r, node, true); });
  if (!conf) return conf;
  // corosync-qdevice reads its settings when it starts.
  if (Status daemons = QdServiceOnEveryNode(r, {"restart", "enable"}); !daemons) return daemons;
  return QdVerifyConnected(r);
}

Status RemoveQdevice(KindDeps& deps) {
  Result<QdRun> started = QdStart(deps);
  if (!started) return Fail(started.error());
  QdRun& r = *started;
  Status conf = QdWriteConf(r, WithoutQdevice(r.conf), "removing the QDevice",
                            [&](const std::string& node) { return QdDeviceLoaded(r, node, false); });
  if (!conf) return conf;
  if (Status daemons = QdServiceOnEveryNode(r, {"stop", "disable"}); !daemons) return daemons;
  for (const std::string& node : r.nodes) {
    if (auto ran = QdExec(r, node, {"rm", "-rf", "/etc/corosync/qdevice"}, "removing the QDevice certificates"); !ran) {
      return Fail(ran.error());
    }
  }
  return safety::CheckQuorum(*deps.api, {}, {});
}

}  // namespace hainfra::providers
