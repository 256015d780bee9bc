// `hainfra export`: writes the live cluster (or the kinds and nodes asked for) as a spec that loads back
// and plans to no changes against the same cluster; checks that it loads before saying so.
#pragma once

#include <string>
#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"
#include "providers/transport/api_client.h"

namespace hainfra::cli {

struct ExportCommandOptions {
  std::vector<std::string> kinds;  // --kind KIND (repeatable): only these (and the kinds they reference)
  std::vector<std::string> nodes;  // --node NODE (repeatable): only objects on these nodes
  std::string out;                 // --out FILE: write there instead of stdout
  std::string split;               // --split DIR: one file per section in DIR
  Value connection;                // the `cluster` settings of the connection used (ConnectionSettings)
};

// `input` with a `nodes` entry (name, address) for each member GET /cluster/status reports, when `input`
// declares no node: the spec a session is opened with so that export reaches each node over SSH where the
// cluster says it is. `input` itself when it declares nodes or the status cannot be read.
Spec WithMemberAddresses(const Spec& input, transport::ApiClient& api);

// The `cluster` settings of a connection ({api: {endpoint, token, secret reference, tls_fingerprint,
// ca_file}}), written onto the exported cluster when no input spec names one. The secret is a reference to
// the variable that supplies it (HAINFRA_API_SECRET), never its value.
Value ConnectionSettings(const transport::ApiSettings& api);

// `input` is the spec given with -f (may be empty): its cluster connection settings are carried over.
// Exit 0: written and loads back; 1: an error (observing failed, or the result does not load — then the
// diagnostics are printed and the files are still written, for a look).
int RunExport(const Spec& input, const std::vector<ResourceKind*>& kinds, const ExportCommandOptions& options,
              Console& console);

}  // namespace hainfra::cli
