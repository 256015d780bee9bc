// Plain-socket misbehaving servers for transport tests: one that hangs up on every request without an
// answer, and a loopback port that refuses connections.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace hainfra::testing {

// Accepts each connection, reads the request head, then closes it without answering (the request was
// delivered, the answer never comes: what a crashing server looks like to a client). With `canned`, it
// writes those raw bytes first: a hand-made HTTP answer (custom reason phrases, broken framing).
class ClosingTcpServer {
 public:
  explicit ClosingTcpServer(std::string canned = "");
  ~ClosingTcpServer();
  ClosingTcpServer(const ClosingTcpServer&) = delete;
  ClosingTcpServer& operator=(const ClosingTcpServer&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Requests whose head arrived completely.
  int RequestsReceived() const { return received_.load(); }

 private:
  void Serve();

  std::string canned_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> received_{0};
  std::thread thread_;
};

// A loopback port that is bound but never listens, so every connect() is refused; held while alive.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace hainfra::testing
