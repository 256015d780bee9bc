// pvesim's entry point: `pvesim serve [flags]` (see pvesim --help and docs/pvesim.md).
#include <iostream>
#include <string>
#include <vector>

#include "sim/pvesim/options.h"
#include "sim/pvesim/serve.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << pvesim::Usage();
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "serve") {
    std::cerr << "pvesim: unknown command '" << args[0] << "'\n" << pvesim::Usage();
    return 2;
  }
  auto options = pvesim::ParseServeOptions(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!options) {
    std::cerr << "pvesim: " << options.error() << "\n";
    return 2;
  }
  return pvesim::RunServe(*options, std::cout, std::cerr);
}
