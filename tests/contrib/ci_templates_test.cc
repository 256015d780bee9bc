// The CI templates of contrib/ci/ (GitLab CI and GitHub Actions): they parse as YAML, run only hainfra
// commands that the CLI's shared command list (cli/commands.h) knows, with options that command's --help
// lists, and have the GitOps shape: validate → plan (Markdown + saved plan) → manual apply on main →
// scheduled enforce.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "tests/testing/subprocess.h"

namespace hainfra::testing {
namespace {

const std::string kCiDir = std::string(HAINFRA_SOURCE_DIR) + "/contrib/ci/";

YAML::Node LoadTemplate(const std::string& file) {
  try {
    return YAML::LoadFile(kCiDir + file);
  } catch (const YAML::Exception& e) {  // yaml-cpp reports parse errors by throwing
    ADD_FAILURE() << file << ": " << e.what();
    return YAML::Node();
  }
}

// Every shell line a template runs: GitLab's script/before_script/after_script (a string or a list) and
// GitHub's `run`, anywhere in the document.
void CollectScripts(const YAML::Node& node, std::vector<std::string>& scripts) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      const bool shell = key == "script" || key == "before_script" || key == "after_script" || key == "run";
      if (shell && value.IsScalar()) {
        scripts.push_back(value.as<std::string>());
      } else if (shell && value.IsSequence()) {
        for (const auto& line : value) scripts.push_back(line.as<std::string>());
      } else if (key != "with") {  // an action's `with: script:` is JavaScript, not a shell
        CollectScripts(value, scripts);
      }
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) CollectScripts(item, scripts);
  }
}

struct CiInvocation {
  std::string command;              // "plan"
  std::vector<std::string> options;  // "--format", "--out", ...
  std::string line;
};

// Each `hainfra COMMAND [options]` of the scripts (a command starts a line or follows ; & | ( or `$(`).
std::vector<CiInvocation> HainfraInvocations(const YAML::Node& doc) {
  std::vector<std::string> scripts;
  CollectScripts(doc, scripts);
  static const std::regex call(R"((?:^|[;&|(]\s*|\n\s*)hainfra\s+([^\s;&|)]+)([^\n;&|)]*))");
  static const std::regex option(R"((?:^|\s)(--[a-z][a-z0-9-]*))");
  std::vector<CiInvocation> found;
  for (const std::string& script : scripts) {
    for (std::sregex_iterator it(script.begin(), script.end(), call), end; it != end; ++it) {
      CiInvocation inv{(*it)[1].str(), {}, it->str()};
      const std::string rest = (*it)[2].str();
      for (std::sregex_iterator o(rest.begin(), rest.end(), option); o != end; ++o) inv.options.push_back((*o)[1]);
      found.push_back(inv);
    }
  }
  return found;
}

std::set<std::string> CommandsOf(const std::vector<CiInvocation>& invocations) {
  std::set<std::string> names;
  for (const CiInvocation& inv : invocations) names.insert(inv.command);
  return names;
}

// `hainfra COMMAND --help` of the built binary; exit status -1 when the command is not in this build.
ProcessResult CiHelp(const std::string& command) {
  return RunProcess({std::string(HAINFRA_BINARY_DIR) + "/cli/hainfra", command, "--help"});
}

void ExpectOnlyKnownCommandsAndOptions(const std::string& file) {
  const YAML::Node doc = LoadTemplate(file);
  const std::vector<CiInvocation> invocations = HainfraInvocations(doc);
  ASSERT_FALSE(invocations.empty()) << file << " runs no hainfra command";
  for (const CiInvocation& inv : invocations) {
    if (inv.command == "--version") continue;
    EXPECT_NE(cli::FindCommand(inv.command), nullptr) << file << ": `hainfra " << inv.command
                                                       << "` is not a hainfra command: " << inv.line;
    ProcessResult help = CiHelp(inv.command);
    if (help.exit_status != 0) continue;  // named in cli/commands.h, not built into this binary (yet)
    for (const std::string& o : inv.options) {
      EXPECT_NE(help.output.find(o), std::string::npos)
          << file << ": `hainfra " << inv.command << "` has no option " << o << ": " << inv.line;
    }
  }
  EXPECT_EQ(CommandsOf(invocations), (std::set<std::string>{"--version", "validate", "plan", "apply", "enforce"}))
      << file;
}

// The job running `hainfra <command>`, by its name.
std::string JobRunning(const YAML::Node& jobs, const std::string& command) {
  for (const auto& job : jobs) {
    if (!job.second.IsMap()) continue;
    for (const CiInvocation& inv : HainfraInvocations(job.second)) {
      if (inv.command == command) return job.first.as<std::string>();
    }
  }
  return "";
}

TEST(CiTemplates, GitlabRunsOnlyCommandsAndOptionsTheCliKnows) {
  ExpectOnlyKnownCommandsAndOptions("gitlab-ci.yml");
}

TEST(CiTemplates, GithubRunsOnlyCommandsAndOptionsTheCliKnows) {
  ExpectOnlyKnownCommandsAndOptions("github-actions.yml");
}

TEST(CiTemplates, TheCheckCatchesAnUnknownCommand) {
  const YAML::Node doc = YAML::Load("job:\n  script:\n    - hainfra valdiate -f x.yaml\n    - echo; hainfra plan\n");
  const std::vector<CiInvocation> invocations = HainfraInvocations(doc);
  ASSERT_EQ(invocations.size(), 2u);
  EXPECT_EQ(cli::FindCommand(invocations[0].command), nullptr);
  EXPECT_NE(cli::FindCommand(invocations[1].command), nullptr);
}

TEST(CiTemplates, TheCommandListNamesTheEnforcementCommands) {
  for (const char* name : {"validate", "plan", "apply", "drift", "enforce", "pause", "resume"}) {
    EXPECT_NE(cli::FindCommand(name), nullptr) << name;
  }
}

TEST(CiTemplates, GitlabPlansInMergeRequestsAppliesByHandOnMainAndEnforcesOnSchedule) {
  const YAML::Node doc = LoadTemplate("gitlab-ci.yml");
  ASSERT_TRUE(doc.IsMap());
  EXPECT_EQ(doc["stages"].as<std::vector<std::string>>(),
            (std::vector<std::string>{"validate", "plan", "apply", "enforce"}));
  const YAML::Node plan = doc[JobRunning(doc, "plan")];
  EXPECT_EQ(plan["artifacts"]["paths"].as<std::vector<std::string>>(), (std::vector<std::string>{"plan.json", "plan.md"}));
  const YAML::Node apply = doc[JobRunning(doc, "apply")];
  ASSERT_TRUE(apply.IsMap());
  EXPECT_EQ(apply["needs"][0].as<std::string>(), "plan");
  const YAML::Node manual = apply["rules"][1];
  EXPECT_EQ(manual["if"].as<std::string>(), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
  EXPECT_EQ(manual["when"].as<std::string>(), "manual");
  const YAML::Node enforce = doc[JobRunning(doc, "enforce")];
  EXPECT_EQ(enforce["rules"][0]["if"].as<std::string>(), "$CI_PIPELINE_SOURCE == \"schedule\"");
  EXPECT_EQ(enforce["artifacts"]["when"].as<std::string>(), "always");  // reports also when a run fails
}

TEST(CiTemplates, GithubPlansInPullRequestsAppliesAfterApprovalOnMainAndEnforcesOnSchedule) {
  const YAML::Node doc = LoadTemplate("github-actions.yml");
  ASSERT_TRUE(doc.IsMap());
  EXPECT_TRUE(doc["on"]["schedule"].IsSequence());
  const YAML::Node jobs = doc["jobs"];
  const YAML::Node apply = jobs[JobRunning(jobs, "apply")];
  ASSERT_TRUE(apply.IsMap());
  EXPECT_EQ(apply["needs"].as<std::string>(), "plan");
  EXPECT_EQ(apply["environment"].as<std::string>(), "production");  // required reviewers: the manual step
  EXPECT_EQ(apply["if"].as<std::string>(), "github.event_name == 'push' && github.ref == 'refs/heads/main'");
  EXPECT_EQ(jobs[JobRunning(jobs, "enforce")]["if"].as<std::string>(), "github.event_name == 'schedule'");
}

TEST(KubernetesManifest, OneForbidCronJobPerClusterRunsAKnownHainfraCommand) {
  const std::string path = std::string(HAINFRA_SOURCE_DIR) + "/contrib/kubernetes/hainfra-enforce-cronjob.yaml";
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAllFromFile(path);
  } catch (const YAML::Exception& e) {  // yaml-cpp reports parse errors by throwing
    FAIL() << path << ": " << e.what();
  }
  int cronjobs = 0;
  for (const YAML::Node& doc : docs) {
    if (doc["kind"].as<std::string>() != "CronJob") continue;
    ++cronjobs;
    EXPECT_EQ(doc["spec"]["concurrencyPolicy"].as<std::string>(), "Forbid");
    const YAML::Node pod = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    const YAML::Node container = pod["containers"][0];
    EXPECT_EQ(container["command"][0].as<std::string>(), "hainfra");
    const std::string command = container["args"][0].as<std::string>();
    EXPECT_EQ(command, "enforce");
    EXPECT_NE(cli::FindCommand(command), nullptr) << command;
    EXPECT_FALSE(container["securityContext"]["allowPrivilegeEscalation"].as<bool>());
    EXPECT_TRUE(container["securityContext"]["readOnlyRootFilesystem"].as<bool>());
    EXPECT_GE(pod["terminationGracePeriodSeconds"].as<int>(), 60) << "time to finish the step and release the lock";
  }
  EXPECT_EQ(cronjobs, 1);
}

}  // namespace
}  // namespace hainfra::testing
