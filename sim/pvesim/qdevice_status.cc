#include "sim/pvesim/qdevice_status.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <sstream>

namespace pvesim {
namespace {

using json = nlohmann::json;

const json* QdeviceSection(const json& conf) {
  if (!conf.is_object() || !conf.contains("quorum") || !conf["quorum"].is_object()) return nullptr;
  const json& quorum = conf["quorum"];
  if (!quorum.contains("device") || !quorum["device"].is_object()) return nullptr;
  return &quorum["device"];
}

// The keys ClusterConfig.pm keeps from the daemon's answer.
const std::set<std::string>& QdeviceStatusKeys() {
  static const std::set<std::string> keys{"Algorithm", "Echo reply", "Last poll call", "Model",
                                          "QNetd host", "State", "Tie-breaker"};
  return keys;
}

}  // namespace

int QdeviceVotes(const json& conf, int node_votes) {
  const json* device = QdeviceSection(conf);
  if (device == nullptr) return 0;
  if (device->contains("votes")) {
    try {
      return std::stoi((*device)["votes"].get<std::string>());
    } catch (const std::exception&) {  // std::stoi and get<> report bad values by throwing
      return 0;
    }
  }
  return node_votes > 1 ? node_votes - 1 : 1;
}

json SimulatedQdeviceStatus(const json& conf, bool connected) {
  const json* device = QdeviceSection(conf);
  if (device == nullptr) return json::object();
  const json net = device->value("net", json::object());
  const std::string host = net.value("host", "");
  const std::string port = net.value("port", "5403");
  const std::string algorithm = net.value("algorithm", "ffsplit");
  return json{{"Model", "Net"},
              {"QNetd host", (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port},
              {"Algorithm", algorithm == "lms" ? "LMS" : "Fifty-Fifty split"},
              {"Tie-breaker", "Node with lowest node ID"},
              {"State", connected ? "Connected" : "Connect failed"}};
}

json ReadQdeviceSocket(const std::string& socket_path) {
  json out = json::object();
  sockaddr_un addr{};
  if (socket_path.size() >= sizeof(addr.sun_path)) return out;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return out;
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const char request[] = "status verbose\n";
    if (::write(fd, request, sizeof(request) - 1) == static_cast<ssize_t>(sizeof(request) - 1)) {
      char buffer[4096];
      ssize_t n = 0;
      while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) answer.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  // As ClusterConfig.pm: "Key:   value" lines that do not start with white space, known keys only.
  std::istringstream lines(answer);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    size_t start = line.find_first_not_of(" \t", colon + 1);
    if (QdeviceStatusKeys().contains(key)) out[key] = start == std::string::npos ? "" : line.substr(start);
  }
  return out;
}

}  // namespace pvesim
