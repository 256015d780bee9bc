#include "engine/render/drift_report.h"

#include <gtest/gtest.h>

#include "tests/testing/sample_plan.h"

namespace hainfra::render {
namespace {

TEST(DriftJUnit, OneTestcasePerObjectAndAFailurePerDriftedOne) {
  EXPECT_EQ(DriftJUnit(testing::SamplePlan()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"hainfra drift\" tests=\"7\" failures=\"6\" errors=\"0\">\n"
            "  <testsuite name=\"network\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\">\n"
            "    <testcase classname=\"hainfra.drift.network\" name=\"network/pve-01\">\n"
            "      <failure type=\"update\" message=\"network/pve-01 needs update: options[vmbr1] differs\">"
            "options[vmbr1]: (none) → &quot;bridge&quot;\n</failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"hainfra.drift.network\" name=\"network/pve-02\">\n"
            "      <failure type=\"update\" message=\"network/pve-02 needs update: options[vmbr1] differs\">"
            "options[vmbr1]: (none) → &quot;bridge&quot;\n</failure>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "  <testsuite name=\"vm\" tests=\"5\" failures=\"4\" errors=\"0\" skipped=\"0\">\n"
            "    <testcase classname=\"hainfra.drift.vm\" name=\"vm/100\">\n"
            "      <failure type=\"create\" message=\"vm/100 needs create: not in the cluster\">"
            "cores: (none) → 4\npassword: (none) → (sensitive)\n"
            "disks: (none) → [{&quot;size&quot;:&quot;32G&quot;,&quot;slot&quot;:&quot;scsi0&quot;}]\n</failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"hainfra.drift.vm\" name=\"vm/101\">\n"
            "      <failure type=\"update\" message=\"vm/101 needs update: cores, onboot, password differ\">"
            "cores: 2 → 4\nonboot: 0 → true\npassword: (sensitive) → (sensitive)\n</failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"hainfra.drift.vm\" name=\"vm/102\">\n"
            "      <failure type=\"replace\" message=\"vm/102 needs replace: vmid cannot change in place\">"
            "vmid: 102 → 112\n</failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"hainfra.drift.vm\" name=\"vm/103\">\n"
            "      <failure type=\"delete\" message=\"vm/103 needs delete: state: absent\"></failure>\n"
            "    </testcase>\n"
            "    <testcase classname=\"hainfra.drift.vm\" name=\"vm/104\"/>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

TEST(DriftMetrics, CountsDriftedAndCheckedObjectsPerKind) {
  MetricsOptions options;
  options.kinds = {"storage", "vm"};
  options.timestamp = 1700000000;
  EXPECT_EQ(DriftMetrics(testing::SamplePlan(), options),
            "# HELP hainfra_drift_objects Objects whose live state differs from the spec.\n"
            "# TYPE hainfra_drift_objects gauge\n"
            "hainfra_drift_objects{kind=\"network\"} 2\n"
            "hainfra_drift_objects{kind=\"storage\"} 0\n"
            "hainfra_drift_objects{kind=\"vm\"} 4\n"
            "# HELP hainfra_objects Objects of the spec checked against the cluster.\n"
            "# TYPE hainfra_objects gauge\n"
            "hainfra_objects{kind=\"network\"} 2\n"
            "hainfra_objects{kind=\"storage\"} 0\n"
            "hainfra_objects{kind=\"vm\"} 5\n"
            "# HELP hainfra_drift_changes Changes that would remove the drift, by action.\n"
            "# TYPE hainfra_drift_changes gauge\n"
            "hainfra_drift_changes{kind=\"network\",action=\"update\"} 2\n"
            "hainfra_drift_changes{kind=\"vm\",action=\"create\"} 1\n"
            "hainfra_drift_changes{kind=\"vm\",action=\"update\"} 1\n"
            "hainfra_drift_changes{kind=\"vm\",action=\"replace\"} 1\n"
            "hainfra_drift_changes{kind=\"vm\",action=\"delete\"} 1\n"
            "# HELP hainfra_drift_last_run_timestamp_seconds When the drift check ran, in Unix time.\n"
            "# TYPE hainfra_drift_last_run_timestamp_seconds gauge\n"
            "hainfra_drift_last_run_timestamp_seconds 1700000000\n");
}

TEST(DriftReports, NeverShowASecret) {
  EXPECT_EQ(DriftJUnit(testing::SamplePlan()).find("canary"), std::string::npos);
  EXPECT_EQ(DriftMetrics(testing::SamplePlan(), {}).find("canary"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::render
