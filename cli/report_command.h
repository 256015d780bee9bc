// `hainfra report packages`: the version-unison report — which nodes of the spec differ on which package
// (Proxmox's key packages and the packages the baselines name). Exit 0: in unison, 2: differences, 1: error.
#pragma once

#include "cli/command_options.h"
#include "hainfra/spec.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::cli {

struct ReportOptions {
  bool json = false;  // --json: the JSON form on stdout
};

int RunReportPackages(const Spec& spec, transport::SshClient* ssh, const ReportOptions& options, Console& console);

}  // namespace hainfra::cli
