// hainfra's composition root: parses the command line (the only file that includes Boost.Program_options),
// builds the transports and kinds, and runs one command.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/version.h"

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0)) {
    std::printf("hainfra %.*s\n", static_cast<int>(hainfra::cli::Version().size()),
                hainfra::cli::Version().data());
    return 0;
  }
  std::fprintf(stderr, "usage: hainfra --version\n");
  return 1;
}
