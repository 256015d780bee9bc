#include "tests/testing/python.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace hainfra::testing {
namespace {

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string TempPath(const std::string& stem) {
  static int counter = 0;
  return (std::filesystem::temp_directory_path() /
          ("hainfra-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
      .string();
}

bool HavePython(const std::vector<std::string>& modules) {
  std::string script;
  for (const std::string& m : modules) script += "import " + m + "\n";
  return RunPython(script, {}).exit_code == 0;
}

PythonRun RunPython(const std::string& script, const std::vector<std::string>& args) {
  PythonRun run;
  if (::access("/usr/bin/python3", X_OK) != 0) return run;
  const std::string file = TempPath("script") + ".py";
  std::ofstream(file) << script;
  std::string command = "/usr/bin/python3 " + Quote(file);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe != nullptr) {
    std::array<char, 4096> buffer{};
    size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::filesystem::remove(file);
  return run;
}

}  // namespace hainfra::testing
