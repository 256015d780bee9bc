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

// Half-closes every accepted connection on `port`: idle keep-alive connections then end at once instead of
// after their timeout (httplib checks for a stop only between requests).
void ShutdownConnections(int port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return;
  while (dirent* e = readdir(dir)) {
    int fd = std::atoi(e->d_name);
    if (fd <= 2) continue;
    sockaddr_storage peer{}, local{};
    socklen_t plen = sizeof peer, llen = sizeof local;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) continue;
    if (PortOf(local) == port) ::shutdown(fd, SHUT_RD);
  }
  closedir(dir);
}

std::string HttpDate() {
  char buf[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// cpp-httplib writes its own reason phrase ("Internal Server Error"), but Proxmox clients (proxmoxer, the
// GUI) show the status line's text, which pve-http-server sets to the error message. Error answers are
// therefore written to the socket here, with "Connection: close" as pve-http-server does for every status
// >= 400, and the socket is shut down so httplib's own answer never reaches the client.
bool WriteErrorAnswer(const httplib::Request& req, int status, const std::string& reason, const std::string& body,
                      const std::string& content_type) {
  int fd = FindSocket(req);
  if (fd < 0) return false;
  std::string line;
  for (char c : reason) line += (c >= 0x20 && c < 0x7f) ? c : ' ';
  std::string date = HttpDate();
  std::string raw = "HTTP/1.1 " + std::to_string(status) + " " + line + "\r\n" +
                    "Cache-Control: max-age=0\r\nConnection: close\r\nDate: " + date + "\r\nExpires: " + date +
                    "\r\nPragma: no-cache\r\nServer: pve-api-daemon/3.0\r\n";
  if (!body.empty()) raw += "Content-Type: " + content_type + "\r\n";
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\nX-Pvesim-Reason: " + line + "\r\n\r\n" + body;
  bool ok;
  if (req.ssl != nullptr) {
    // httplib serves this connection on this thread only; writing through its SSL object is safe here.
    SSL* ssl = const_cast<SSL*>(req.ssl);
    ok = SSL_write(ssl, raw.data(), static_cast<int>(raw.size())) == static_cast<int>(raw.size());
  } else {
    size_t sent = 0;
    while (sent < raw.size()) {
      ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    ok = sent == raw.size();
  }
  ::shutdown(fd, SHUT_RDWR);
  return ok;
}

}  // namespace

HttpServer::HttpServer(Simulator& sim, ControlHandler control, const std::string& cert_file,
                       const std::string& key_file, int threads, std::string local_node)
    : sim_(sim), control_(std::move(control)), local_node_(std::move(local_node)) {
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
  port_ = bound;
  return bound;
}

void HttpServer::Run() { server_->listen_after_bind(); }

void HttpServer::Stop() {
  server_->stop();
  if (port_ > 0) ShutdownConnections(port_);
}

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
  view.local_node = local_node_;

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
  if (answer.status >= 400 && WriteErrorAnswer(req, answer.status, answer.reason, answer.body, answer.content_type)) {
    res.status = answer.status;
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
