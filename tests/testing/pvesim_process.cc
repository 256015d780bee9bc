#include "tests/testing/pvesim_process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/testing/temp_dir.h"

namespace hainfra::testing {

namespace fs = std::filesystem;

namespace {

std::string MakeTempDir(const char* prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (mkdtemp(tmpl.data()) == nullptr) return "";
  return tmpl;
}

}  // namespace

std::string PvesimProcess::BinaryPath() { return std::string(HAINFRA_BINARY_DIR) + "/sim/pvesim/pvesim"; }

std::string PvesimProcess::SchemaPath(int pve) {
  return std::string(HAINFRA_SHARED_DIR) + "/pve-api/pve" + std::to_string(pve) + "-api-schema.json";
}

std::unique_ptr<PvesimProcess> PvesimProcess::Start(const PvesimOptions& options) {
  std::unique_ptr<PvesimProcess> p(new PvesimProcess());
  if (!fs::exists(BinaryPath())) {
    p->error_ = "pvesim binary not found at " + BinaryPath() + " (build the 'pvesim' target)";
    return p;
  }
  std::string schema = SchemaPath(options.pve);
  if (options.schema && !fs::exists(schema)) {
    p->skipped_ = true;
    p->error_ = "the PVE API schema is not available at " + schema +
                " (HAINFRA_SHARED_DIR points at ../shared beside the checkout)";
    return p;
  }
  p->work_dir_ = MakeTempDir("pvesim-test-");
  if (p->work_dir_.empty()) {
    p->error_ = "unable to create a temp dir";
    return p;
  }
  p->state_dir_ = options.state_dir;
  if (p->state_dir_.empty()) {
    p->state_dir_ = p->work_dir_ + "/state";
    p->remove_state_dir_ = true;
  }
  std::vector<std::string> args = {BinaryPath(), "serve", "--port", "0", "--state-dir", p->state_dir_,
                                   "--pve", std::to_string(options.pve),
                                   "--task-duration", std::to_string(options.task_duration.count()),
                                   "--lock-timeout", std::to_string(options.lock_timeout.count()),
                                   "--auth-failure-delay", "0", "--ha-tick", "100"};
  if (options.http) args.push_back("--http");
  if (options.schema) {
    args.push_back("--api-schema");
    args.push_back(schema);
  }
  args.insert(args.end(), options.args.begin(), options.args.end());
  std::string out_file = p->work_dir_ + "/stdout", err_file = p->work_dir_ + "/stderr";

  pid_t pid = fork();
  if (pid < 0) {
    p->error_ = "fork failed";
    return p;
  }
  if (pid == 0) {
    FILE* out = std::freopen(out_file.c_str(), "w", stdout);
    FILE* err = std::freopen(err_file.c_str(), "w", stderr);
    if (out == nullptr || err == nullptr) _exit(126);
    // The child must not inherit blocked signals or the test's signal handling.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  p->pid_ = pid;

  auto deadline = std::chrono::steady_clock::now() + options.ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = ReadText(out_file);
    if (out.find("PVESIM_READY=1\n") != std::string::npos) {
      std::istringstream in(out);
      for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq != std::string::npos) p->env_[line.substr(0, eq)] = line.substr(eq + 1);
      }
      std::string endpoint = p->endpoint();
      auto colon = endpoint.rfind(':');
      p->port_ = colon == std::string::npos ? 0 : std::atoi(endpoint.c_str() + colon + 1);
      p->ok_ = p->port_ > 0;
      if (!p->ok_) p->error_ = "pvesim printed no usable endpoint: " + out;
      return p;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p->pid_ = -1;
      p->error_ = "pvesim exited before it was ready (status " + std::to_string(status) + ")";
      return p;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  p->error_ = "pvesim was not ready within " + std::to_string(options.ready_timeout.count()) + " s";
  return p;
}

std::string PvesimProcess::Env(const std::string& name) const {
  auto it = env_.find(name);
  return it == env_.end() ? "" : it->second;
}

std::string PvesimProcess::Stderr() const { return work_dir_.empty() ? "" : ReadText(work_dir_ + "/stderr"); }

std::string PvesimProcess::error() const {
  std::string err = error_;
  std::string stderr_text = Stderr();
  if (!stderr_text.empty()) err += "\n--- pvesim stderr ---\n" + stderr_text;
  return err;
}

int PvesimProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

PvesimProcess::~PvesimProcess() {
  Stop();
  std::error_code ec;
  if (!work_dir_.empty()) fs::remove_all(work_dir_, ec);
  if (remove_state_dir_ && !state_dir_.empty()) fs::remove_all(state_dir_, ec);
}

}  // namespace hainfra::testing
