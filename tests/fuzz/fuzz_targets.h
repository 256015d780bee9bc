// The fuzz targets: each takes arbitrary bytes to one of hainfra's readers of outside text (the spec, Proxmox's
// property strings, guest configs, corosync.conf, /etc/network/interfaces, sshd_config, APT sources, API
// answers, plan files). The libFuzzer binaries of `./dev fuzz` (fuzz/) call them, and so does the corpus
// regression of the test suite (fuzz_regression_test.cc) on the committed inputs in fuzz/regressions/.
// A target returns normally on any input; a crash, a sanitizer report, an escaping exception or a broken
// round trip (text written back that does not read the same) is a finding.
#pragma once

#include <string_view>
#include <vector>

namespace hainfra::fuzzing {

struct FuzzTarget {
  const char* name;                       // "spec_yaml": the binary fuzz_spec_yaml, the folder regressions/spec_yaml
  void (*run)(std::string_view data);
};

// Every target, in a stable order.
const std::vector<FuzzTarget>& FuzzTargets();

// The target of that name; nullptr when there is none.
const FuzzTarget* FindFuzzTarget(std::string_view name);

}  // namespace hainfra::fuzzing
