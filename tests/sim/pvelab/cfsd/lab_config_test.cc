#include "cfsd/lab_config.h"

#include <gtest/gtest.h>

namespace pvelab {
namespace {

constexpr const char* kLab = R"({
  "id": "ab12cd", "dir": "/run/hainfra-pvelab/ab12cd", "cfs": "/run/hainfra-pvelab/ab12cd/pve",
  "cluster": "hainfra-lab", "lock_timeout": 5, "pvelab": "/src/sim/pvelab/pvelab",
  "owner_pid": 42, "owner_start": 1234,
  "ssh": {"user": "root", "identity": "i", "known_hosts": "k"},
  "nodes": [
    {"name": "pve-01", "nodeid": 1, "init_pid": 100, "mgmt": "10.1.0.11"},
    {"name": "pve-02", "nodeid": 2, "init_pid": 200, "mgmt": "10.1.0.12"}
  ]
})";

TEST(PvelabConfig, ReadsNodesAndSettings) {
  auto config = ParseLabConfig(kLab, "lab.json");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->id, "ab12cd");
  EXPECT_EQ(config->cfs, "/run/hainfra-pvelab/ab12cd/pve");
  EXPECT_EQ(config->lock_timeout_s, 5);
  EXPECT_EQ(config->owner_pid, 42);
  EXPECT_EQ(config->owner_start, 1234);
  ASSERT_EQ(config->nodes.size(), 2u);
  EXPECT_EQ(config->nodes[1].name, "pve-02");
  EXPECT_EQ(config->nodes[1].nodeid, 2);
  EXPECT_EQ(config->nodes[1].init_pid, 200);
}

TEST(PvelabConfig, MissingFieldIsNamedWithTheFile) {
  auto config = ParseLabConfig(R"({"id": "x"})", "/tmp/lab.json");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, "/tmp/lab.json: missing field 'dir'");
}

TEST(PvelabConfig, WrongNodeFieldTypeIsNamedWithItsIndex) {
  std::string text = kLab;
  text.replace(text.find("\"init_pid\": 200"), 15, "\"init_pid\": \"200\"");
  auto config = ParseLabConfig(text, "lab.json");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, "lab.json: nodes[1]: field 'init_pid' has the wrong type");
}

TEST(PvelabConfig, BrokenJsonIsAnInvalidArgument) {
  auto config = ParseLabConfig("{", "lab.json");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, hainfra::Code::kInvalidArgument);
}

}  // namespace
}  // namespace pvelab
