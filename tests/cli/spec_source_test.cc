#include "cli/spec_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hainfra::cli {
namespace {

class SpecSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hainfra-specsrc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SpecSourceTest, GivenPathsWin) {
  EXPECT_EQ(*SpecPaths({"a.yaml", "conf/"}, dir_.string()), (std::vector<std::string>{"a.yaml", "conf/"}));
}

TEST_F(SpecSourceTest, DefaultsToHainfraYamlThenTheHainfraFolder) {
  EXPECT_EQ(SpecPaths({}, dir_.string()).error().message,
            "no spec: neither ./hainfra.yaml nor ./hainfra/ exists here; name one with -f PATH");
  std::filesystem::create_directories(dir_ / "hainfra");
  EXPECT_EQ(*SpecPaths({}, dir_.string()), std::vector<std::string>{(dir_ / "hainfra").string() + "/"});
  std::ofstream(dir_ / "hainfra.yaml") << "vms: []\n";
  EXPECT_EQ(*SpecPaths({}, dir_.string()), std::vector<std::string>{(dir_ / "hainfra.yaml").string()});
}

TEST_F(SpecSourceTest, LoadingPrintsEveryDiagnosticAndFailsOnErrors) {
  std::ofstream(dir_ / "good.yaml") << "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n";
  std::ofstream(dir_ / "bad.yaml") << "nodes:\n  - { name: pve-01, adress: 10.0.0.11 }\n";
  std::ostringstream err;
  Result<Spec> good = LoadSpecReporting({(dir_ / "good.yaml").string()}, err);
  ASSERT_TRUE(good);
  EXPECT_NE(good->Find(Address{"node", "pve-01"}), nullptr);
  EXPECT_EQ(err.str(), "");
  Result<Spec> bad = LoadSpecReporting({(dir_ / "bad.yaml").string()}, err);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "the spec has 1 error (listed above)");
  EXPECT_NE(err.str().find("bad.yaml:2:21: error: nodes[0]: unknown key `adress` — did you mean `address`?"),
            std::string::npos)
      << err.str();
}

}  // namespace
}  // namespace hainfra::cli
