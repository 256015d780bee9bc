// The `hainfra` executable end to end: option parsing, help, version and exit codes.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <sys/wait.h>

#include "tests/testing/spec_testing.h"

namespace hainfra::cli {
namespace {

struct CommandRun {
  int exit_code;
  std::string output;
};

CommandRun Hainfra(const std::string& args) {
  const std::string command = std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra " + args + " 2>&1";
  CommandRun run{-1, ""};
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(Main, VersionPrintsTheVersion) {
  const CommandRun r = Hainfra("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("hainfra ", 0), 0u) << r.output;
}

TEST(Main, HelpListsTheCommands) {
  const CommandRun r = Hainfra("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("validate"), std::string::npos);
  EXPECT_NE(r.output.find("schema"), std::string::npos);
}

TEST(Main, EachCommandHasHelp) {
  for (const char* command : {"validate --help", "schema --help", "help validate"}) {
    const CommandRun r = Hainfra(command);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.output.find("usage: hainfra"), std::string::npos) << command << ": " << r.output;
  }
}

TEST(Main, ValidateExitCodes) {
  EXPECT_EQ(Hainfra("validate " + testing::SourcePath("examples/lab-3node")).exit_code, 0);
  EXPECT_EQ(Hainfra("validate /nonexistent/spec.yaml").exit_code, 1);
  EXPECT_EQ(Hainfra("validate").exit_code, 1);
}

TEST(Main, BadUsageIsAnError) {
  EXPECT_EQ(Hainfra("").exit_code, 1);
  EXPECT_EQ(Hainfra("frobnicate").exit_code, 1);
  const CommandRun r = Hainfra("schema --bogus");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("unrecognised option '--bogus'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace hainfra::cli
