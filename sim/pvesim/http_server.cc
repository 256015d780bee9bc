#include "sim/pvesim/http_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

namespace pvesim {

namespace {

// uri_unescape: %XX sequences only ('+' stays).
std::string UriUnescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

int PortOf(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  return -1;
}

// httplib does not hand out the socket: find it by its peer and local ports among our descriptors.
int FindSocket(const httplib::Request& req) {
  if (req.ssl != nullptr) return SSL_get_fd(req.ssl);
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (dirent* e = readdir(dir)) {
    int fd = std::atoi(e->d_name);
    if (fd <= 2) continue;
    sockaddr_storage peer{}, local{};
    socklen_t plen = sizeof peer, llen = sizeof local;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) continue;
    if (PortOf(peer) == req.remote_port && PortOf(local) == req.local_port) {
      found = fd;
      break;
    }
  }
  closedir(dir);
  return found;
}

std::string HttpDate() {
  char buf[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

HttpServer::HttpServer(Simulator& sim, ControlHandler control, const std::string& cert_file,
                       const std::string& key_file, int threads)
    : sim_(sim), control_(std::move(control)) {
  if (!cert_file.empty()) {
    server_ = std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  size_t pool = static_cast<size_t>(threads);
  server_->new_task_queue = [pool] { return new httplib::ThreadPool(pool); };
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(30);
  server_->set_read_timeout(30, 0);
  server_->set_write_timeout(30, 0);
  server_->set_payload_max_length(64 * 1024 * 1024);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(&req, &res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind(const std::string& address, int port) {
  if (!server_->is_valid()) return Die("unable to set up the HTTP server (certificate or key unreadable?)");
  int bound = port == 0 ? server_->bind_to_any_port(address) : (server_->bind_to_port(address, port) ? port : -1);
  if (bound <= 0) return Die("unable to bind " + address + ":" + std::to_string(port));
  return bound;
}

void HttpServer::Run() { server_->listen_after_bind(); }

void HttpServer::Stop() { server_->stop(); }

void HttpServer::Handle(const void* request, void* response) {
  const auto& req = *static_cast<const httplib::Request*>(request);
  auto& res = *static_cast<httplib::Response*>(response);
  HttpRequestView view;
  view.method = req.method;
  std::string target = req.target.empty() ? req.path : req.target;
  auto q = target.find('?');
  view.path = UriUnescape(target.substr(0, q));
  if (q != std::string::npos) view.query = target.substr(q + 1);
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    view.headers[lower] = value;
  }
  view.body = req.body;

  HttpAnswer answer;
  if (view.path == "/api2/json" || view.path.rfind("/api2/json/", 0) == 0) {
    answer = DispatchApi(sim_, view);
  } else if (view.path.rfind("/pvesim/", 0) == 0 || view.path == "/pvesim") {
    answer = control_(view);
  } else if (view.path.rfind("/api2/", 0) == 0) {
    answer.status = 501;
    answer.reason = "no such uri";
    answer.body = "";
  } else {
    answer.status = 404;
    answer.reason = "Not Found";
    answer.body = "";
  }
  if (answer.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(answer.delay_ms));
  if (answer.drop) {
    int fd = FindSocket(req);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
    res.status = 500;
    res.set_header("Connection", "close");
    return;
  }
  res.status = answer.status;
  std::string date = HttpDate();
  res.set_header("Server", "pve-api-daemon/3.0");
  res.set_header("Cache-Control", "max-age=0");
  res.set_header("Pragma", "no-cache");
  res.set_header("Expires", date);
  if (!answer.reason.empty()) res.set_header("X-Pvesim-Reason", answer.reason);
  if (answer.status >= 400) res.set_header("Connection", "close");
  res.set_content(answer.body, answer.content_type);
}

}  // namespace pvesim
