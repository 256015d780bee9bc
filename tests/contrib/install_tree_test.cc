// `cmake --install` of this build into a scratch root (DESTDIR): the binary runs from there, the man page
// holds every command's help, bash completion completes from the binary's own help, the systemd units pass
// `systemd-analyze verify` and carry their hardening, and the examples are there to copy.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

class InstallTree : public ::testing::Test {
 protected:
  // One installation for the suite: it copies the (sanitizer) binary, the costly part.
  static void SetUpTestSuite() {
    root_ = std::make_unique<TempDir>("install-tree");
    install_ = RunProcess({HAINFRA_CMAKE_COMMAND, "--install", HAINFRA_BINARY_DIR}, {{"DESTDIR", root_->path()}});
  }
  static void TearDownTestSuite() { root_.reset(); }

  void SetUp() override { ASSERT_EQ(install_.exit_status, 0) << install_.output; }

  // A path of the installation: PREFIX/`relative` inside the scratch root.
  static std::string Installed(const std::string& relative) {
    return root_->path() + HAINFRA_INSTALL_PREFIX + "/" + relative;
  }
  static std::string Binary() { return Installed("bin/hainfra"); }

  // Runs bash completion for the words typed so far (the last one is being completed).
  static std::string Complete(const std::string& words) {
    const std::string script = "source '" + Installed("share/bash-completion/completions/hainfra") +
                               "'; COMP_WORDS=('" + Binary() + "' " + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));"
                               " _hainfra; echo \"${COMPREPLY[*]}\"";
    return RunProcess({"bash", "-c", script}).output;
  }

  static inline std::unique_ptr<TempDir> root_;
  static inline ProcessResult install_;
};

TEST_F(InstallTree, TheInstalledBinaryRunsAndValidatesAnExample) {
  ProcessResult version = RunProcess({Binary(), "--version"});
  EXPECT_EQ(version.exit_status, 0) << version.output;
  EXPECT_EQ(version.output.rfind("hainfra ", 0), 0u) << version.output;
  const std::string example = Installed("share/doc/hainfra/examples/minimal.yaml");
  ProcessResult validate = RunProcess({Binary(), "validate", "-f", example});
  EXPECT_EQ(validate.exit_status, 0) << validate.output;
}

TEST_F(InstallTree, TheManPageHoldsEveryBuiltCommandWithItsOptions) {
  const std::string man = ReadText(Installed("share/man/man1/hainfra.1"));
  ASSERT_FALSE(man.empty());
  EXPECT_NE(man.find(".TH HAINFRA 1"), std::string::npos);
  ProcessResult usage = RunProcess({Binary(), "--help"});
  for (const cli::CommandInfo& command : cli::Commands()) {
    const bool built = usage.output.find("  " + std::string(command.name) + " ") != std::string::npos;
    EXPECT_EQ(man.find(".SS \"hainfra " + std::string(command.name) + "\"") != std::string::npos, built)
        << command.name;
  }
  EXPECT_NE(man.find("\\-\\-format arg"), std::string::npos) << "plan's options, with troff minus signs";
  EXPECT_NE(man.find("/etc/hainfra/enforce.env"), std::string::npos);
  if (RunProcess({"sh", "-c", "command -v groff"}).exit_status == 0) {
    ProcessResult rendered = RunProcess({"sh", "-c", "groff -man -Tutf8 -ww -z '" + Installed("share/man/man1/hainfra.1") + "'"});
    EXPECT_EQ(rendered.output, "") << "groff warnings";
  }
}

TEST_F(InstallTree, BashCompletionCompletesCommandsAndOptionsFromTheHelp) {
  if (RunProcess({"sh", "-c", "command -v bash"}).exit_status != 0) GTEST_SKIP() << "no bash on this machine";
  EXPECT_EQ(Complete("pl"), "plan\n");
  EXPECT_EQ(Complete("plan --for"), "--format\n");
  EXPECT_EQ(Complete("plan --format m"), "markdown\n");
  EXPECT_EQ(Complete("apply --allow"), "--allow-destroy\n");
}

TEST_F(InstallTree, ZshCompletionIsInstalledAndParses) {
  const std::string file = Installed("share/zsh/vendor-completions/_hainfra");
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(ReadText(file).rfind("#compdef hainfra\n", 0), 0u);
  if (RunProcess({"sh", "-c", "command -v zsh"}).exit_status != 0) GTEST_SKIP() << "no zsh on this machine to parse it";
  ProcessResult parsed = RunProcess({"zsh", "-n", file});
  EXPECT_EQ(parsed.exit_status, 0) << parsed.output;
}

TEST_F(InstallTree, TheSystemdUnitsAreHardenedAndRunTheInstalledBinary) {
  const std::string service = ReadText(Installed("lib/systemd/system/hainfra-enforce.service"));
  ASSERT_FALSE(service.empty());
  for (const char* line : {"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                           "StateDirectory=hainfra", "EnvironmentFile=/etc/hainfra/enforce.env",
                           "ReadWritePaths=-/var/lib/prometheus/node-exporter", "CapabilityBoundingSet=\n"}) {
    EXPECT_NE(service.find(line), std::string::npos) << line;
  }
  EXPECT_NE(service.find("ExecStart=" + std::string(HAINFRA_INSTALL_PREFIX) + "/bin/hainfra enforce -f /etc/hainfra/spec/ "),
            std::string::npos)
      << service;
  const std::string timer = ReadText(Installed("lib/systemd/system/hainfra-enforce.timer"));
  EXPECT_NE(timer.find("OnCalendar=*:0/15\n"), std::string::npos) << timer;
  EXPECT_NE(timer.find("WantedBy=timers.target"), std::string::npos) << timer;
}

TEST_F(InstallTree, TheServiceRunsACommandWithOptionsTheBinaryKnows) {
  const std::string service = ReadText(Installed("lib/systemd/system/hainfra-enforce.service"));
  const size_t start = service.find("\nExecStart=");
  ASSERT_NE(start, std::string::npos) << service;
  const std::string exec = service.substr(start + 1, service.find('\n', start + 1) - start - 1);
  const std::string prefix = "ExecStart=" + std::string(HAINFRA_INSTALL_PREFIX) + "/bin/hainfra ";
  ASSERT_EQ(exec.rfind(prefix, 0), 0u) << exec;
  const std::string command = exec.substr(prefix.size(), exec.find(' ', prefix.size()) - prefix.size());
  EXPECT_NE(cli::FindCommand(command), nullptr) << command;
  ProcessResult help = RunProcess({Binary(), command, "--help"});
  if (help.exit_status != 0) GTEST_SKIP() << "`hainfra " << command << "` is not in this build: " << help.output;
  for (size_t at = exec.find(" --"); at != std::string::npos; at = exec.find(" --", at + 3)) {
    const std::string option = exec.substr(at + 1, exec.find(' ', at + 1) - at - 1);
    EXPECT_NE(help.output.find(option), std::string::npos) << option << " in " << exec;
  }
}

TEST_F(InstallTree, TheSystemdUnitsPassSystemdAnalyzeVerify) {
  if (RunProcess({"sh", "-c", "command -v systemd-analyze"}).exit_status != 0) {
    GTEST_SKIP() << "no systemd-analyze on this machine";
  }
  // verify checks that ExecStart's program exists on this host: point it at the scratch installation
  // (the path itself is checked above).
  TempDir units("install-units");
  std::string service = ReadText(Installed("lib/systemd/system/hainfra-enforce.service"));
  const std::string program = std::string(HAINFRA_INSTALL_PREFIX) + "/bin/hainfra";
  service.replace(service.find(program), program.size(), Binary());
  WriteText(units.File("hainfra-enforce.service"), service);
  WriteText(units.File("hainfra-enforce.timer"), ReadText(Installed("lib/systemd/system/hainfra-enforce.timer")));
  ProcessResult verify = RunProcess({"systemd-analyze", "verify", "--man=no", "--generators=no",
                                     units.File("hainfra-enforce.service"), units.File("hainfra-enforce.timer")});
  EXPECT_EQ(verify.exit_status, 0) << verify.output;
  EXPECT_EQ(verify.output, "") << "every warning (an unknown or misspelt key) counts";
}

TEST_F(InstallTree, TheExamplesToCopyAreInstalled) {
  for (const char* example : {"enforce.env", "gitlab-ci.yml", "github-actions.yml", "hainfra-enforce-cronjob.yaml",
                              "minimal.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(Installed("share/doc/hainfra/examples/" + std::string(example)))) << example;
  }
  EXPECT_TRUE(std::filesystem::exists(Installed("share/doc/hainfra/install.md")));
}

}  // namespace
}  // namespace hainfra::testing
