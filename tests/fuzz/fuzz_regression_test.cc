// The fuzz corpus regression: every committed input of fuzz/regressions/<target>/ (crashes and hangs the
// fuzzers found, and hand-written inputs at the edges of each reader) goes through its target again, under
// the suite's ASan/UBSan. Fast: a few hundred small inputs. The fuzzing itself is `./dev fuzz`.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/fuzz_targets.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::fuzzing {
namespace {

std::vector<std::filesystem::path> FuzzRegressionInputs(const std::string& target) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = testing::SourcePath("fuzz/regressions/" + target);
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzRegression, EveryTargetHasCommittedInputs) {
  for (const FuzzTarget& target : FuzzTargets()) {
    EXPECT_FALSE(FuzzRegressionInputs(target.name).empty()) << "fuzz/regressions/" << target.name << "/ is empty";
    EXPECT_EQ(FindFuzzTarget(target.name), &target);
  }
  EXPECT_EQ(FindFuzzTarget("no-such-target"), nullptr);
}

TEST(FuzzRegression, EveryFolderNamesATarget) {
  for (const auto& entry : std::filesystem::directory_iterator(testing::SourcePath("fuzz/regressions"))) {
    EXPECT_NE(FindFuzzTarget(entry.path().filename().string()), nullptr) << entry.path();
  }
}

TEST(FuzzRegression, CommittedInputsRunCleanlyAndQuickly) {
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const std::filesystem::path& file : FuzzRegressionInputs(target.name)) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      const auto start = std::chrono::steady_clock::now();
      EXPECT_NO_THROW(target.run(bytes.str())) << file;
      // libFuzzer's hang limit in ./dev fuzz is 10 s; a committed input taking a second is a hang coming back.
      EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << file;
    }
  }
}

}  // namespace
}  // namespace hainfra::fuzzing
