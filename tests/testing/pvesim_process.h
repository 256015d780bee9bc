// A running `pvesim serve` for tests: started from the build tree on an ephemeral loopback port with a
// temporary state dir and (always, when the shared data is present) the PVE API schema; its
// HAINFRA_...=value lines parsed and exposed; stopped (SIGTERM, then SIGKILL) on destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hainfra::testing {

struct PvesimOptions {
  int pve = 9;                          // 8 or 9 (selects the schema file too)
  std::vector<std::string> args;        // extra `serve` flags, e.g. {"--nodes", "pve-01,pve-02"}
  bool http = false;                    // plain HTTP instead of HTTPS
  bool schema = true;                   // validate requests against ../shared/pve-api/pve<N>-api-schema.json
  std::string state_dir;                // empty: a fresh temp dir, removed on destruction
  std::chrono::milliseconds task_duration{50};
  std::chrono::milliseconds lock_timeout{1000};
  std::chrono::seconds ready_timeout{30};
};

class PvesimProcess {
 public:
  // Starts pvesim and waits for it to be ready. Check ok() (or skipped()) before use.
  static std::unique_ptr<PvesimProcess> Start(const PvesimOptions& options = {});
  ~PvesimProcess();
  PvesimProcess(const PvesimProcess&) = delete;
  PvesimProcess& operator=(const PvesimProcess&) = delete;

  bool ok() const { return ok_; }
  // True when the shared data (the API schema) is absent: the test should GTEST_SKIP() with error().
  bool skipped() const { return skipped_; }
  // Why it is not ok, with pvesim's stderr.
  std::string error() const;

  // Every NAME=value line pvesim printed.
  const std::map<std::string, std::string>& env() const { return env_; }
  std::string Env(const std::string& name) const;
  std::string endpoint() const { return Env("HAINFRA_API_ENDPOINT"); }  // https://127.0.0.1:PORT
  std::string token_id() const { return Env("HAINFRA_API_TOKEN"); }     // root@pam!hainfra
  std::string secret() const { return Env("HAINFRA_API_SECRET"); }
  std::string password() const { return Env("HAINFRA_API_PASSWORD"); }
  std::string fingerprint() const { return Env("HAINFRA_TLS_FINGERPRINT"); }
  std::string ca_file() const { return Env("HAINFRA_CA_FILE"); }
  std::string control_token() const { return Env("PVESIM_CONTROL_TOKEN"); }
  std::string state_dir() const { return state_dir_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // What pvesim wrote to stderr so far.
  std::string Stderr() const;

  // SIGTERM and wait (the state dir is kept until destruction); returns pvesim's exit status.
  int Stop();

  // Paths of the pvesim binary and the API schema this build uses.
  static std::string BinaryPath();
  static std::string SchemaPath(int pve);

 private:
  PvesimProcess() = default;

  bool ok_ = false;
  bool skipped_ = false;
  std::string error_;
  std::map<std::string, std::string> env_;
  std::string state_dir_;
  bool remove_state_dir_ = false;
  std::string work_dir_;  // holds stdout/stderr captures
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace hainfra::testing

// Starts pvesim into `var` (a std::unique_ptr<PvesimProcess>), skipping the test when the shared data is
// missing and failing it when pvesim does not come up.
#define PVESIM_START_OR_SKIP(var, ...)                                      \
  auto var = ::hainfra::testing::PvesimProcess::Start(__VA_ARGS__);         \
  if (var->skipped()) GTEST_SKIP() << var->error();                          \
  ASSERT_TRUE(var->ok()) << var->error()
