#include "cli/validate_command.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/python.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::cli {
namespace {

struct Outcome {
  int exit_code;
  std::string output;
};

Outcome Validate(ValidateOptions options) {
  std::ostringstream out;
  const int code = RunValidate(options, out);
  return {code, out.str()};
}

// A spec file in a scratch folder, removed at the end of the test.
class SpecFile {
 public:
  explicit SpecFile(const std::string& text) : path_(testing::TempPath("validate") + ".yaml") {
    std::ofstream(path_) << text;
  }
  ~SpecFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Validate, ValidExampleExitsZeroWithASummary) {
  const std::string path = testing::SourcePath("examples/minimal.yaml");
  const Outcome r = Validate({.paths = {path}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, path + ": valid — 1 file, 4 objects (1 cluster, 1 node, 1 storage, 1 vm)\n");
}

TEST(Validate, TheEnforcementSectionIsSettingsNotAnObject) {
  const SpecFile spec("nodes:\n  - { name: pve-01, address: 10.0.0.11 }\nenforcement: { mode: warn }\n");
  const Outcome r = Validate({.paths = {spec.path()}});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, spec.path() + ": valid — 1 file, 1 object (1 node), with enforcement settings\n");
}

TEST(Validate, ASpecOfOnlyEnforcementSettingsDeclaresNoObjects) {
  const SpecFile spec("enforcement: { mode: warn }\n");
  const Outcome r = Validate({.paths = {spec.path()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("error: the spec declares no objects"), std::string::npos) << r.output;
}

TEST(Validate, InvalidSpecExitsOneWithLocatedErrorsAndACount) {
  const SpecFile spec("nodes:\n  - { name: pve-01, address: 10.0.0.11, adress: x }\nvms:\n  - { vmid: 1, node: pve-01 }\n");
  const Outcome r = Validate({.paths = {spec.path()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, spec.path() + ":2:41: error: nodes[0]: unknown key `adress` — did you mean `address`?\n" +
                          spec.path() + ":4:13: error: vms[0].vmid: must be at least 100, got 1\n" + spec.path() +
                          ": invalid — 2 errors in 1 file\n");
}

TEST(Validate, WarningsDoNotFailTheSpec) {
  const SpecFile spec("nodes:\n  - { name: a1, address: 10.0.0.1 }\n  - { name: a2, address: 10.0.0.2 }\n");
  const Outcome r = Validate({.paths = {spec.path()}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find(": warning: node/a2: a 2-node cluster loses quorum"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("valid — 1 file, 2 objects (2 node), 1 warning\n"), std::string::npos) << r.output;
}

TEST(Validate, QuietPrintsNothingWhenValid) {
  const Outcome r = Validate({.paths = {testing::SourcePath("examples/minimal.yaml")}, .quiet = true});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "");
}

TEST(Validate, ResolveSecretsNamesTheMissingVariableNotItsValue) {
  const SpecFile spec(
      "cluster:\n  name: lab\n  api:\n    endpoint: https://10.0.0.11:8006\n    secret: ${env:HAINFRA_TEST_NOT_SET}\n");
  ::unsetenv("HAINFRA_TEST_NOT_SET");
  const Outcome without = Validate({.paths = {spec.path()}});
  EXPECT_EQ(without.exit_code, 0) << without.output;  // secrets are resolved only when asked
  const Outcome with = Validate({.paths = {spec.path()}, .resolve_secrets = true});
  EXPECT_EQ(with.exit_code, 1);
  EXPECT_EQ(with.output, spec.path() + ":5:5: error: cluster/lab: environment variable HAINFRA_TEST_NOT_SET is not set\n" +
                             spec.path() + ": invalid — 1 error in 1 file\n");
}

TEST(Validate, EveryExampleIsValidWithoutWarnings) {
  for (const char* example : {"examples/minimal.yaml", "examples/lab-3node", "examples/astro-5node"}) {
    const Outcome r = Validate({.paths = {testing::SourcePath(example)}});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

}  // namespace
}  // namespace hainfra::cli
