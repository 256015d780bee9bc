// The `hainfra` executable end to end: the subcommand table, usage errors and help.
#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <sstream>
#include <fstream>
#include <filesystem>
#include <sys/wait.h>

#include "cli/commands.h"
#include "cli/signals.h"

namespace hainfra::cli {
namespace {

struct Ran {
  int exit_code;
  std::string output;  // stdout and stderr
};

Ran Hainfra(const std::string& args) {
  const std::string command = std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra " + args + " 2>&1 < /dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  std::array<char, 4096> buffer{};
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(Main, PrintsTheVersion) {
  Ran r = Hainfra("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("hainfra ", 0), 0u) << r.output;
}

TEST(Main, AnUnknownCommandListsTheCommands) {
  Ran r = Hainfra("frobnicate");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("error: unknown command `frobnicate`"), std::string::npos) << r.output;
  for (const char* c : {"plan", "apply", "drift"}) EXPECT_NE(r.output.find(std::string("  ") + c), std::string::npos);
}

TEST(Main, AnUnknownOptionIsAUsageError) {
  Ran r = Hainfra("plan --frobnicate");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("error: unrecognised option '--frobnicate'"), std::string::npos) << r.output;
}

TEST(Main, HelpListsACommandsOptions) {
  Ran r = Hainfra("apply --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* o : {"--auto-approve", "--allow-destroy", "--target", "--prune", "--parallelism", "--json"}) {
    EXPECT_NE(r.output.find(o), std::string::npos) << o;
  }
}

TEST(Main, AMissingSpecIsNamed) {
  Ran r = Hainfra("drift -f /nonexistent/hainfra.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("/nonexistent/hainfra.yaml"), std::string::npos) << r.output;
}

TEST(Main, HelpListsEveryCommand) {
  for (const char* help : {"--help", "help"}) {
    Ran r = Hainfra(help);
    EXPECT_EQ(r.exit_code, 0) << help;
    for (const char* c : {"validate", "schema", "plan", "apply", "drift"}) {
      EXPECT_NE(r.output.find(std::string("  ") + c), std::string::npos) << help << ": " << c;
    }
  }
}

TEST(Main, EachSpecCommandHasHelp) {
  for (const char* command : {"validate --help", "schema --help", "help validate"}) {
    Ran r = Hainfra(command);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.output.find("usage: hainfra"), std::string::npos) << command << ": " << r.output;
  }
}

TEST(Main, ValidateExitsZeroWhenValidOneWhenNot) {
  const std::string examples = std::string(HAINFRA_SOURCE_DIR) + "/examples/";
  EXPECT_EQ(Hainfra("validate " + examples + "lab-3node").exit_code, 0);
  EXPECT_EQ(Hainfra("validate -f " + examples + "astro-5node --quiet").output, "");
  Ran missing = Hainfra("validate /nonexistent/spec.yaml");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("/nonexistent/spec.yaml: error: no such file or directory"), std::string::npos)
      << missing.output;
}

TEST(Main, SchemaPrintsJson) {
  Ran r = Hainfra("schema");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("{\n", 0), 0u);
  EXPECT_EQ(Hainfra("schema --bogus").exit_code, 1);
}

TEST(Main, PlanLoadsTheSpecWithItsDiagnostics) {
  Ran r = Hainfra("plan -f /nonexistent/hainfra.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("/nonexistent/hainfra.yaml: error: no such file or directory"), std::string::npos)
      << r.output;
}

TEST(Main, HelpListsCommandsOfTheSharedListWithTheirSummaries) {
  Ran r = Hainfra("--help");
  int listed = 0;
  for (const CommandInfo& c : Commands()) {
    const size_t at = r.output.find("  " + std::string(c.name) + " ");
    if (at == std::string::npos) continue;  // in the list, built by a later version
    ++listed;
    EXPECT_NE(r.output.find(std::string(c.summary), at), std::string::npos) << c.name;
  }
  EXPECT_GE(listed, 9) << r.output;
  EXPECT_EQ(FindCommand("frobnicate"), nullptr);
}

TEST(Main, PlanFormatIsTextJsonOrMarkdown) {
  Ran bad = Hainfra("plan --format yaml");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("error: --format yaml: expected text, json or markdown"), std::string::npos) << bad.output;
  Ran both = Hainfra("plan --json --format markdown");
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.output.find("--json is --format json; give one of them"), std::string::npos) << both.output;
  Ran help = Hainfra("plan --help");
  EXPECT_NE(help.output.find("--format"), std::string::npos);
  EXPECT_NE(help.output.find("--max-chars"), std::string::npos);
}

TEST(Signals, TheFirstSignalRaisesTheStopFlag) {
  const std::atomic<bool>* stop = InstallStopHandlers();
  std::raise(SIGTERM);
  EXPECT_TRUE(stop->load());
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

TEST(Main, DriftThatCannotLoadItsSpecStillWritesFailedMetrics) {
  const std::string dir = ::testing::TempDir() + "hainfra-main-drift-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string metrics = dir + "/hainfra.prom";
  { std::ofstream(metrics) << "hainfra_last_run_success 1\n"; }
  Ran ran = Hainfra("drift -f " + dir + "/missing.yaml --metrics " + metrics);
  EXPECT_EQ(ran.exit_code, 1) << ran.output;
  std::stringstream text;
  text << std::ifstream(metrics).rdbuf();
  EXPECT_NE(text.str().find("\nhainfra_last_run_success 0\n"), std::string::npos) << text.str();
  std::filesystem::remove_all(dir);
}

TEST(Main, EnforcePauseAndResumeHaveHelp) {
  for (const char* command : {"enforce", "pause", "resume"}) {
    Ran ran = Hainfra(std::string(command) + " --help");
    EXPECT_EQ(ran.exit_code, 0) << command << ": " << ran.output;
    EXPECT_NE(ran.output.find(std::string("usage: hainfra ") + command), std::string::npos) << ran.output;
  }
  Ran bad = Hainfra("enforce --every 15x");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("--every: duration '15x': unknown unit 'x'"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace hainfra::cli
