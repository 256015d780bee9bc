// `hainfra export`: writes the live cluster (or the kinds and nodes asked for) as a spec that loads back
// and plans to no changes against the same cluster; checks that it loads before saying so.
#pragma once

#include <string>
#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

struct ExportCommandOptions {
  std::vector<std::string> kinds;  // --kind KIND (repeatable): only these (and the kinds they reference)
  std::vector<std::string> nodes;  // --node NODE (repeatable): only objects on these nodes
  std::string out;                 // --out FILE: write there instead of stdout
  std::string split;               // --split DIR: one file per section in DIR
};

// `input` is the spec given with -f (may be empty): its cluster connection settings are carried over.
// Exit 0: written and loads back; 1: an error (observing failed, or the result does not load — then the
// diagnostics are printed and the files are still written, for a look).
int RunExport(const Spec& input, const std::vector<ResourceKind*>& kinds, const ExportCommandOptions& options,
              Console& console);

}  // namespace hainfra::cli
