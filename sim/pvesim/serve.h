// `pvesim serve`: prepares the state dir (credentials, TLS certificate, world), wires the simulator,
// binds, prints the HAINFRA_...=value lines once ready, and serves until SIGTERM/SIGINT.
#pragma once

#include <ostream>

#include "sim/pvesim/options.h"

namespace pvesim {

// Returns the process exit code. `out` gets the NAME=value lines, `err` diagnostics.
int RunServe(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace pvesim
