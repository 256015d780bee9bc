// Runs small Python programs with Debian's /usr/bin/python3 (independent checks: jsonschema, re).
#pragma once

#include <string>
#include <vector>

namespace hainfra::testing {

// True when /usr/bin/python3 can import every module named.
bool HavePython(const std::vector<std::string>& modules);

struct PythonRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Writes `script` to a temporary file and runs it with `args`; never throws.
PythonRun RunPython(const std::string& script, const std::vector<std::string>& args);

// A scratch file name unique to this process (not created).
std::string TempPath(const std::string& stem);

}  // namespace hainfra::testing
