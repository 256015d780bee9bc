#include "sim/pvesim/lab_node_facts.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <openssl/sha.h>

#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/package_baseline.h"
#include "sim/pvesim/qdevice_status.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int ToInt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

// pve-manager's "repoid" as the lab node's pveversion prints it: the release's own for its version, else
// the first 16 hex digits of SHA-1("pve-manager <version>") (lab packages have no git commit).
std::string LabRepoid(int pve, const std::string& version) {
  if (version == ReleaseOf(pve).version) return ReleaseOf(pve).repoid;
  std::string text = "pve-manager " + version;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 8; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

const char* kNoLabFaults = "not supported with --lab: inject node faults with `pvelab fault`";

}  // namespace

std::vector<std::pair<std::string, DpkgPackage>> ParseDpkgStatus(const std::string& text) {
  std::vector<std::pair<std::string, DpkgPackage>> packages;
  std::string name;
  DpkgPackage current;
  auto flush = [&] {
    if (!name.empty()) packages.emplace_back(name, current);
    name.clear();
    current = DpkgPackage{};
  };
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      flush();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;  // continuation of a multi-line field
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (key == "Package") name = value;
    if (key == "Version") current.version = value;
    if (key == "Status") current.status = value;
  }
  flush();
  return packages;
}

Result<std::unique_ptr<LabNodeFacts>> LabNodeFacts::Open(const std::string& lab_dir, std::string local_node, int pve) {
  std::string path = lab_dir + "/lab.json";
  auto text = ReadText(path);
  if (!text) return Die("--lab: cannot read " + path + " (is the lab up? `pvelab up` writes it)");
  json doc;
  try {
    doc = json::parse(*text);
  } catch (const json::parse_error& e) {
    return Die("--lab: " + path + " is not JSON: " + e.what());
  }
  std::unique_ptr<LabNodeFacts> facts(new LabNodeFacts());
  facts->lab_dir_ = lab_dir;
  facts->cfs_dir_ = doc.value("cfs", lab_dir + "/pve");
  facts->lab_id_ = doc.value("id", "");
  facts->pvelab_ = doc.value("pvelab", "");
  facts->pve_ = pve;
  for (const json& n : doc.value("nodes", json::array())) {
    LabNode node;
    node.name = n.value("name", "");
    node.nodeid = n.value("nodeid", 0);
    node.init_pid = n.value("init_pid", 0);
    node.mgmt = n.value("mgmt", "");
    node.mgmt_veth = n.contains("veth") ? n["veth"].value("mgmt", "") : "";
    if (node.name.empty() || node.init_pid <= 0) return Die("--lab: " + path + ": a node without name or init_pid");
    facts->nodes_.push_back(node);
  }
  if (facts->nodes_.empty()) return Die("--lab: " + path + " lists no nodes");
  facts->local_node_ = local_node.empty() ? facts->nodes_.front().name : std::move(local_node);
  if (facts->Find(facts->local_node_) == nullptr) {
    return Die("--lab: the lab has no node '" + facts->local_node_ + "'");
  }
  return facts;
}

const LabNodeFacts::LabNode* LabNodeFacts::Find(const std::string& node) const {
  for (const LabNode& n : nodes_) {
    if (n.name == node) return &n;
  }
  return nullptr;
}

bool LabNodeFacts::Running(const LabNode& node) const {
  return ::kill(node.init_pid, 0) == 0 || errno == EPERM;
}

std::string LabNodeFacts::Root(const LabNode& node) const { return "/proc/" + std::to_string(node.init_pid) + "/root"; }

json LabNodeFacts::CfsdStatus(const std::string& node) const {
  auto text = ReadText(lab_dir_ + "/status/" + node + ".json");
  if (!text) return json::object();
  try {
    return json::parse(*text);
  } catch (const json::parse_error&) {
    return json::object();
  }
}

std::vector<std::string> LabNodeFacts::Nodes() const {
  std::vector<std::string> names;
  for (const LabNode& n : nodes_) names.push_back(n.name);
  return names;
}

bool LabNodeFacts::Rebooting(const std::string& node) const {
  return ::access((lab_dir_ + "/nodes/" + node + "/rebooting").c_str(), F_OK) == 0;
}

bool LabNodeFacts::Online(const std::string& node) const {
  const LabNode* n = Find(node);
  if (n == nullptr || !Running(*n) || Rebooting(node)) return false;
  if (node == local_node_) return true;
  // `pvelab fault ssh-unreachable` / `isolate` set the host side of a management veth down: a proxied
  // request needs both the served node's and the target's management link.
  auto link_up = [](const LabNode& x) {
    if (x.mgmt_veth.empty()) return true;
    auto state = ReadText("/sys/class/net/" + x.mgmt_veth + "/operstate");
    return state && state->rfind("up", 0) == 0;
  };
  const LabNode* local = Find(local_node_);
  return link_up(*n) && (local == nullptr || link_up(*local));
}

std::string LabNodeFacts::Address(const std::string& node) const {
  const LabNode* n = Find(node);
  return n == nullptr ? "" : n->mgmt;
}

ClusterView LabNodeFacts::Cluster() const {
  if (!Rebooting(local_node_)) return ViewOf(local_node_);
  for (const LabNode& n : nodes_) {
    if (n.name == local_node_ || Rebooting(n.name) || !Running(n)) continue;
    if (CfsdStatus(n.name).value("corosync", false)) return ViewOf(n.name);
  }
  return ViewOf(local_node_);
}

ClusterView LabNodeFacts::ClusterSeenBy(const std::string& node) const {
  return Find(node) != nullptr ? ViewOf(node) : Cluster();
}

std::optional<Status> LabNodeFacts::Reboot(const std::string& node) {
  const LabNode* n = Find(node);
  if (n == nullptr || !Running(*n)) return Die("node '" + node + "' is not running");
  if (pvelab_.empty() || lab_id_.empty()) return Die("--lab: lab.json names no pvelab script or lab id");
  auto spawned = SpawnPvelab("reboot", node, lab_dir_ + "/reboot-" + node + ".log", O_APPEND);
  if (!spawned) return Fail(spawned.error());
  // The reboot runs on while the API answers; reap it when it ends.
  std::thread([pid = *spawned] {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  // The node counts as down from now on (the script's marker may take a moment to appear).
  std::ofstream(lab_dir_ + "/nodes/" + node + "/rebooting").flush();
  return Ok();
}

ClusterView LabNodeFacts::ViewOf(const std::string& seen_by) const {
  ClusterView view;
  auto text = ReadText(cfs_dir_ + "/corosync.conf");
  json conf;
  if (text) {
    if (auto parsed = ParseCorosyncConf(*text)) conf = *parsed;
  }
  const LabNode* local = Find(seen_by);
  json status = local != nullptr && Running(*local) ? CfsdStatus(seen_by) : json::object();
  if (!conf.is_object() || !conf.contains("nodelist")) {
    view.clustered = false;
    view.quorate = true;
    view.members.push_back({seen_by, 0, 1, Address(seen_by), true, true});
    view.expected_votes = view.total_votes = view.quorum = 1;
    return view;
  }
  view.clustered = true;
  const json totem = conf.value("totem", json::object());
  view.name = totem.value("cluster_name", "");
  view.config_version = ToInt(totem, "config_version");
  std::set<int> members;
  if (status.value("corosync", false)) {
    for (const json& id : status.value("members", json::array())) {
      if (id.is_number_integer()) members.insert(id.get<int>());
    }
  }
  int expected = 0;
  for (auto it = conf["nodelist"]["node"].begin(); it != conf["nodelist"]["node"].end(); ++it) {
    MemberNode m;
    m.name = it.value().value("name", it.key());
    m.nodeid = ToInt(it.value(), "nodeid");
    m.votes = it.value().contains("quorum_votes") ? ToInt(it.value(), "quorum_votes") : 1;
    std::string addr = Address(m.name);
    m.ip = addr.empty() ? it.value().value("ring0_addr", "") : addr;
    m.online = members.count(m.nodeid) > 0;
    m.local = m.name == seen_by;
    expected += m.votes;
    view.members.push_back(m);
  }
  std::sort(view.members.begin(), view.members.end(), [](const auto& a, const auto& b) { return a.nodeid < b.nodeid; });
  // The real votequorum figures of the served node; without corosync, nothing is quorate.
  view.quorate = status.value("quorate", false);
  view.expected_votes = status.value("expected_votes", expected);
  view.total_votes = status.value("total_votes", 0);
  view.quorum = status.value("quorum", expected / 2 + 1);
  // The node's real corosync-qdevice, through its socket (its /run is the node's own).
  if (local != nullptr && Running(*local)) {
    view.qdevice = ReadQdeviceSocket(Root(*local) + "/run/corosync-qdevice/corosync-qdevice.sock");
  }
  return view;
}

json LabNodeFacts::PackageVersions(const std::string& node) const {
  json out = json::array();
  const LabNode* n = Find(node);
  if (n == nullptr) return out;
  auto text = ReadText(Root(*n) + "/var/lib/dpkg/status");
  if (!text) return out;
  // The packages Proxmox's apt/versions reports, plus the lab's own test packages, as this node has them.
  std::map<std::string, std::string> listed = BaselinePackages(pve_);
  std::map<std::string, std::string> installed;
  std::map<std::string, std::string> states;
  for (const auto& [name, pkg] : ParseDpkgStatus(*text)) {
    bool wanted = listed.contains(name) || name.rfind("hainfra-test-", 0) == 0 ||
                  name.rfind("proxmox-kernel-", 0) == 0 || name.rfind("pve-kernel-", 0) == 0;
    if (!wanted) continue;
    if (pkg.status.ends_with(" installed")) {
      installed[name] = pkg.version;
      states[name] = "Installed";
    } else if (pkg.status.ends_with(" config-files")) {
      installed[name] = pkg.version;
      states[name] = "ConfigFiles";
    }
  }
  // The kernel the node booted last (`pvelab reboot` records it); before its first lab reboot, the release's.
  std::string running = ReadText(Root(*n) + "/run/pvelab/running-kernel").value_or("");
  while (!running.empty() && (running.back() == '\n' || running.back() == ' ')) running.pop_back();
  for (const std::string& name : OrderedPackages(installed)) {
    json entry = AptVersionEntry(pve_, name, installed[name]);
    if (!running.empty() && entry.contains("RunningKernel")) entry["RunningKernel"] = running;
    entry["CurrentState"] = states[name];
    if (name == "pve-manager") entry["ManagerVersion"] = installed[name] + "/" + LabRepoid(pve_, installed[name]);
    if (name.rfind("hainfra-test-", 0) == 0) {
      entry["Title"] = "hainfra lab test package " + name;
      entry["Origin"] = "hainfra-pvelab";
      entry["Section"] = "misc";
      entry["Arch"] = "all";
    }
    out.push_back(entry);
  }
  return out;
}

std::optional<std::string> LabNodeFacts::ReadNodeFile(const std::string& node, const std::string& path) const {
  const LabNode* n = Find(node);
  if (n == nullptr || !Running(*n)) return std::nullopt;
  return ReadText(Root(*n) + path);
}

Status LabNodeFacts::WriteNodeFile(const std::string& node, const std::string& path, const std::string& content) {
  const LabNode* n = Find(node);
  if (n == nullptr) return Die("no such node '" + node + "'");
  if (!Running(*n)) return Die("node '" + node + "' is not running");
  std::string target = Root(*n) + path;
  std::string tmp = target + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return Die("unable to open file '" + path + ".tmp." + std::to_string(::getpid()) + "' - " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Die("rename '" + path + "' failed - " + why);
  }
  return Ok();
}

Status LabNodeFacts::RemoveNodeFile(const std::string& node, const std::string& path) {
  const LabNode* n = Find(node);
  if (n == nullptr) return Die("no such node '" + node + "'");
  if (::unlink((Root(*n) + path).c_str()) != 0 && errno != ENOENT) {
    return Die("unable to remove '" + path + "' - " + std::strerror(errno));
  }
  return Ok();
}

Status LabNodeFacts::SetOnline(const std::string&, bool) { return Die(kNoLabFaults); }
Status LabNodeFacts::SetIsolated(bool) { return Die(kNoLabFaults); }
Status LabNodeFacts::SetPackageVersion(const std::string&, const std::string&, const std::string&) {
  return Die("not supported with --lab: install packages on the node with apt-get");
}

Status LabNodeFacts::FinishJoin(const std::string& node, const std::string& corosync_conf) {
  const LabNode* joining = Find(node);
  if (joining == nullptr || !Running(*joining)) return Die("node '" + node + "' is not running");
  // The authkey every member shares, as the cluster node hands it over with the join answer.
  std::optional<std::string> authkey;
  for (const LabNode& member : nodes_) {
    if (member.name == node || !Running(member)) continue;
    authkey = ReadText(Root(member) + "/etc/corosync/authkey");
    if (authkey && !authkey->empty()) break;
  }
  if (!authkey || authkey->empty()) return Die("no running member has /etc/corosync/authkey");
  if (auto st = WriteNodeFile(node, "/etc/corosync/authkey", *authkey); !st) return st;
  if (auto st = WriteNodeFile(node, "/etc/corosync/corosync.conf", corosync_conf); !st) return st;
  if (pvelab_.empty() || lab_id_.empty()) return Die("--lab: lab.json names no pvelab script or lab id");
  return RunFinishJoin(node);
}

Result<pid_t> LabNodeFacts::SpawnPvelab(const std::string& verb, const std::string& node, const std::string& log,
                                         int log_mode) const {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | log_mode, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args{"/bin/bash", pvelab_, verb, lab_id_, node};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Die("cannot run pvelab " + verb + ": " + std::strerror(rc));
  return pid;
}

Status LabNodeFacts::RunFinishJoin(const std::string& node) const {
  const std::string log = lab_dir_ + "/finish-join-" + node + ".log";
  auto spawned = SpawnPvelab("finish-join", node, log, O_TRUNC);
  if (!spawned) return Fail(spawned.error());
  const pid_t pid = *spawned;
  int status = 0;
  pid_t waited = 0;
  while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) return Die(std::string("waiting for pvelab finish-join: ") + std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ok();
  std::string output = ReadText(log).value_or("");
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return Die("pvelab finish-join " + node + " failed: " + output);
}

bool LabNodeFacts::Isolated() const {
  json status = CfsdStatus(local_node_);
  return !status.value("quorate", false) && status.value("members", json::array()).size() <= 1;
}

}  // namespace pvesim
