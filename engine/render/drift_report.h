// Drift reports for CI and monitoring, from a plan: JUnit XML (one testcase per object, a failure per
// drifted one) and Prometheus textfile metrics (hainfra_drift_objects{kind="vm"} ...).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hainfra/plan.h"

namespace hainfra::render {

// JUnit XML: one <testsuite> per kind, one <testcase> per object; drifted objects carry a <failure>
// whose text lists the field changes (secrets masked as in the plan).
std::string DriftJUnit(const Plan& plan);

struct MetricsOptions {
  std::vector<std::string> kinds;  // kinds to report even when they have no object (zeros)
  int64_t timestamp = 0;           // Unix seconds of the run
};

// Prometheus text exposition format, for node_exporter's textfile collector.
std::string DriftMetrics(const Plan& plan, const MetricsOptions& options);

}  // namespace hainfra::render
