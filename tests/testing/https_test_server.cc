#include "tests/testing/https_test_server.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace hainfra::testing {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> DecodeForm(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    std::string pair = text.substr(start, end - start);
    size_t eq = pair.find('=');
    std::string key = Unescape(pair.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : Unescape(pair.substr(eq + 1));
    if (!key.empty()) out[key] = out.count(key) ? out[key] + "," + value : value;
    start = end + 1;
  }
  return out;
}

std::string RecordedRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpsTestServer::HttpsTestServer(bool tls, std::string host) : tls_(tls), host_(std::move(host)) {
  certs_ = MakeTestCertificates(dir_.path());
  if (tls_) {
    server_ = std::make_unique<httplib::SSLServer>(certs_.server_cert.c_str(), certs_.server_key.c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  if (!server_->is_valid()) {
    std::fprintf(stderr, "https test server: cannot load the generated certificate\n");
    std::abort();
  }
  server_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(30);
  server_->set_tcp_nodelay(true);
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_->Get(".*", handle);
  server_->Post(".*", handle);
  server_->Put(".*", handle);
  server_->Delete(".*", handle);
  port_ = server_->bind_to_any_port(host_);
  if (port_ <= 0) {
    std::fprintf(stderr, "https test server: cannot bind a loopback port\n");
    std::abort();
  }
  handler_ = [](const RecordedRequest&, httplib::Response& res) { Reply(res, 200, {{"data", nullptr}}); };
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

HttpsTestServer::~HttpsTestServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpsTestServer::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::string HttpsTestServer::endpoint() const {
  return std::string(tls_ ? "https" : "http") + "://" + host_ + ":" + std::to_string(port_);
}

std::vector<RecordedRequest> HttpsTestServer::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t HttpsTestServer::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t HttpsTestServer::ConnectionCount() const {
  std::lock_guard lock(mu_);
  return client_ports_.size();
}

void HttpsTestServer::Reply(httplib::Response& response, int status, const Value& envelope,
                            const std::string& reason) {
  response.status = status;
  if (!reason.empty()) response.reason = reason;
  response.set_content(envelope.dump(), "application/json;charset=UTF-8");
}

void HttpsTestServer::Handle(const httplib::Request& req, httplib::Response& res) {
  int now = ++in_flight_;
  int seen = max_in_flight_.load();
  while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
  }
  RecordedRequest recorded;
  recorded.method = req.method;
  recorded.path = req.path;
  recorded.target = req.target;
  recorded.body = req.body;
  recorded.remote_port = req.remote_port;
  for (const auto& [name, value] : req.headers) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    recorded.headers[lower] = value;
  }
  size_t query = req.target.find('?');
  if (query != std::string::npos) recorded.form = DecodeForm(req.target.substr(query + 1));
  if (recorded.Header("content-type").starts_with("application/x-www-form-urlencoded")) {
    for (auto& [key, value] : DecodeForm(req.body)) recorded.form[key] = value;
  }
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(recorded);
    client_ports_.insert(req.remote_port);
    handler = handler_;
  }
  handler(recorded, res);
  --in_flight_;
}

}  // namespace hainfra::testing
