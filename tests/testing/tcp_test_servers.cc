#include "tests/testing/tcp_test_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hainfra::testing {

namespace {

// Binds a TCP socket to 127.0.0.1 on a port the kernel picks; returns the fd and sets `port`.
int BindLoopback(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("tcp test server: bind");
    std::abort();
  }
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

ClosingTcpServer::ClosingTcpServer(std::string canned) : canned_(std::move(canned)) {
  listen_fd_ = BindLoopback(port_);
  if (listen(listen_fd_, 16) != 0) {
    std::perror("tcp test server: listen");
    std::abort();
  }
  thread_ = std::thread([this] { Serve(); });
}

ClosingTcpServer::~ClosingTcpServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

void ClosingTcpServer::Serve() {
  while (!stop_) {
    pollfd listener{listen_fd_, POLLIN, 0};
    if (poll(&listener, 1, 20) <= 0) continue;
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::string head;
    char buffer[4096];
    for (int waited = 0; waited < 200 && head.find("\r\n\r\n") == std::string::npos;) {
      pollfd in{client, POLLIN, 0};
      if (poll(&in, 1, 10) <= 0) {
        ++waited;
        continue;
      }
      ssize_t n = read(client, buffer, sizeof buffer);
      if (n <= 0) break;
      head.append(buffer, static_cast<size_t>(n));
    }
    if (head.find("\r\n\r\n") != std::string::npos) {
      ++received_;
      if (!canned_.empty() && write(client, canned_.data(), canned_.size()) < 0) std::perror("tcp test server: write");
    }
    close(client);
  }
}

RefusingPort::RefusingPort() { fd_ = BindLoopback(port_); }

RefusingPort::~RefusingPort() { close(fd_); }

}  // namespace hainfra::testing
