// pvelab: the Proxmox commands on a node (pvecm status, pveversion -v, ha-manager status) print the real
// formats — compared with real captures in ../shared/pve-fixtures — from the real corosync and dpkg.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The part of a `pvecm status` line that is format, not data: the label up to ':' (with its padding),
// or the whole line for headings and underlines; membership rows reduce to their shape.
std::string Shape(const std::string& line) {
  static const std::regex member(R"(^0x[0-9a-f]{8} +\d+ \S+( \(local\))?$)");
  if (std::regex_match(line, member)) return "<member>";
  auto colon = line.find(':');
  if (colon == std::string::npos) return line;
  auto value = line.find_first_not_of(' ', colon + 1);
  return line.substr(0, value == std::string::npos ? line.size() : value);
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Its tests read the lab, or put back what they change: one lab for all of them.
class LabCommands : public LabTest {
 protected:
  bool OneLabForTheSuite() const override { return true; }
};

TEST_F(LabCommands, PvecmStatusHasTheRealLayout) {
  std::string fixture = ReadFixture("cli-pvecm-status-pve9.txt");
  if (fixture.empty()) GTEST_SKIP() << "no ../shared/pve-fixtures (HAINFRA_SHARED_DIR=" << HAINFRA_SHARED_DIR << ")";
  LabCommand r = lab_->Ssh("pve-02", "pvecm status");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> want, got;
  for (const std::string& line : Lines(fixture)) {
    if (Shape(line) != "<member>") want.push_back(Shape(line));
  }
  for (const std::string& line : Lines(r.output)) {
    if (Shape(line) != "<member>") got.push_back(Shape(line));
  }
  EXPECT_EQ(got, want) << r.output;
  EXPECT_NE(r.output.find("Name:             hainfra-lab\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Node ID:          0x00000002\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("0x00000002          1 " + lab_->Link0("pve-02") + " (local)\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("Flags:            Quorate \n"), std::string::npos) << r.output;
}

TEST_F(LabCommands, PveversionReadsTheNodesDpkgDatabase) {
  LabCommand r = lab_->Exec("pve-03", "pveversion -v");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_GE(lines.size(), 3u) << r.output;
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(proxmox-ve: 9\.1\.0 \(running kernel: \S+\))"))) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex(R"(pve-manager: 9\.1\.1 \(running version: 9\.1\.1/[0-9a-f]{16}\))")))
      << lines[1];
  // The fixture's second line has the same shape.
  std::string fixture = ReadFixture("cli-pveversion-v-pve9.txt");
  if (!fixture.empty()) {
    EXPECT_TRUE(std::regex_match(Lines(fixture)[1], std::regex(R"(pve-manager: \S+ \(running version: \S+/[0-9a-f]{16}\))")));
  }
  for (const std::string& line : lines) EXPECT_TRUE(std::regex_match(line, std::regex(R"([a-z0-9.+-]+: .+)"))) << line;
  ASSERT_EQ(lab_->Exec("pve-03", "apt-get install -y -q pve-manager=9.1.2 >/dev/null 2>&1").exit_code, 0);
  EXPECT_EQ(Lines(lab_->Exec("pve-03", "pveversion").output).at(0).substr(0, 18), "pve-manager/9.1.2/");
  EXPECT_EQ(Lines(lab_->Exec("pve-01", "pveversion").output).at(0).substr(0, 18), "pve-manager/9.1.1/");
}

TEST_F(LabCommands, HaManagerStatusPrintsAHealthyIdleCluster) {
  LabCommand r = lab_->Exec("pve-01", "ha-manager status");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size(), 5u) << r.output;
  EXPECT_EQ(lines[0], "quorum OK");
  EXPECT_TRUE(std::regex_match(lines[1], std::regex(R"(master pve-01 \(idle, \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\))"))) << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex(R"(lrm pve-01 \(idle, .+\))"))) << lines[2];
  // With a configured resource, a service line in the docs' format.
  ASSERT_EQ(lab_->Exec("pve-01", "printf 'vm: 100\\n\\tstate started\\n' > /etc/pve/ha/resources.cfg").exit_code, 0);
  r = lab_->Exec("pve-02", "ha-manager status");
  EXPECT_NE(r.output.find("service vm:100 (pve-02, started)"), std::string::npos) << r.output;
  std::string docs = ReadFixture("cli-ha-manager-status-docs-1.txt");
  if (!docs.empty()) {
    EXPECT_TRUE(std::regex_match(Lines(docs).back(), std::regex(R"(service vm:\d+ \(\S+, \w+\))")));
  }
}

TEST_F(LabCommands, HaManagerStatusReadsTheManagersStatusFiles) {
  // What the HA stack (pvesim when joined) writes: the CRM's manager_status and each node's lrm_status.
  std::string now = std::to_string(std::time(nullptr));
  std::string write =
      "mkdir -p /etc/pve/ha && printf 'vm: 100\\n\\tstate started\\n\\nvm: 101\\n\\tstate stopped\\n' "
      "> /etc/pve/ha/resources.cfg && "
      "echo '{\"master_node\":\"pve-02\",\"timestamp\":" + now + ",\"node_status\":{\"pve-01\":\"online\","
      "\"pve-02\":\"online\"},\"service_status\":{\"vm:100\":{\"node\":\"pve-01\",\"state\":\"started\"},"
      "\"vm:101\":{\"node\":\"pve-02\",\"state\":\"stopped\"}}}' > /etc/pve/ha/manager_status && "
      "echo '{\"mode\":\"active\",\"state\":\"active\",\"timestamp\":" + now + "}' > /etc/pve/nodes/pve-01/lrm_status && "
      "echo '{\"mode\":\"active\",\"state\":\"wait_for_agent_lock\",\"timestamp\":" + now +
      "}' > /etc/pve/nodes/pve-02/lrm_status";
  ASSERT_EQ(lab_->Exec("pve-01", write).exit_code, 0);
  LabCommand r = lab_->Ssh("pve-03", "ha-manager status");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size(), 6u) << r.output;
  std::string stamp = R"(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})";
  EXPECT_EQ(lines[0], "quorum OK");
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("master pve-02 \\(active, " + stamp + "\\)"))) << lines[1];
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("lrm pve-01 \\(active, " + stamp + "\\)"))) << lines[2];
  // An LRM waiting for its lock with no service on its node is idle, as the real tool reports it.
  EXPECT_TRUE(std::regex_match(lines[3], std::regex("lrm pve-02 \\(idle, " + stamp + "\\)"))) << lines[3];
  EXPECT_EQ(lines[4], "service vm:100 (pve-01, started)");
  EXPECT_EQ(lines[5], "service vm:101 (pve-02, stopped)");
}

}  // namespace
}  // namespace hainfra::testing
