#include "cli/spec_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace hainfra::cli
