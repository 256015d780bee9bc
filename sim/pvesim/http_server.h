// The HTTP(S) front: cpp-httplib with a thread pool, TCP_NODELAY and keep-alive, routing /api2/json/...
// to the API dispatcher and /pvesim/... to the control API; headers as pve-api-daemon sends them; dropped
// connections for faults.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sim/pvesim/api_dispatch.h"
#include "sim/pvesim/error.h"

namespace httplib {
class Server;
}

namespace pvesim {

class HttpServer {
 public:
  using ControlHandler = std::function<HttpAnswer(const HttpRequestView&)>;

  // TLS when cert_file is given, plain HTTP otherwise.
  HttpServer(Simulator& sim, ControlHandler control, const std::string& cert_file, const std::string& key_file,
             int threads, std::string local_node = "");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds (port 0: any free port) and returns the port.
  Result<int> Bind(const std::string& address, int port);
  // Serves until Stop(); blocks.
  void Run();
  // Stops listening and ends idle keep-alive connections; Run() returns once running requests finished.
  void Stop();

 private:
  void Handle(const void* request, void* response);

  Simulator& sim_;
  ControlHandler control_;
  std::string local_node_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
};

}  // namespace pvesim
