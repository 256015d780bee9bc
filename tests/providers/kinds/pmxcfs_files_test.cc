// The one-command bulk read of /etc/pve: the framing of its output (a content taken by its byte count), the
// checks on its patterns, and the script itself run on a local folder (no SSH: the same argv a node runs).
#include "providers/kinds/pmxcfs_files.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "providers/kinds/ha_rule.h"
#include "providers/pve/guest_conf.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::providers {
namespace {

constexpr const char* kPmxcfsTestNonce = "hainfra-0123456789abcdef0123456789abcdef";

std::string PmxcfsFramed(const std::string& path, const std::string& content) {
  const std::string n = kPmxcfsTestNonce;
  return n + " F " + std::to_string(content.size()) + " " + path + "\n" + content + "\n" + n + " E\n";
}

TEST(PmxcfsDump, TakesEachContentByItsByteCountEmptyUnterminatedAndDelimiterLikeOnesIncluded) {
  const std::string n = kPmxcfsTestNonce;
  const std::string tricky = "a\n" + n + " E\n" + n + " END\n";  // a content that looks like framing
  const std::string out = PmxcfsFramed("nodes/a/qemu-server/100.conf", "cores: 2\n") + PmxcfsFramed("nodes/a/lxc/101.conf", "") +
                          PmxcfsFramed("nodes/b/qemu-server/102.conf", "no newline") + n + " X nodes/b/qemu-server/103.conf\n" +
                          PmxcfsFramed("storage.cfg", tricky) + n + " END\n";
  auto files = ParsePmxcfsDump(out, n);
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->files.at("nodes/a/qemu-server/100.conf"), "cores: 2\n");
  EXPECT_EQ(files->files.at("nodes/a/lxc/101.conf"), "");
  EXPECT_EQ(files->files.at("nodes/b/qemu-server/102.conf"), "no newline");
  EXPECT_EQ(files->files.at("storage.cfg"), tricky);
  EXPECT_EQ(files->unreadable, std::vector<std::string>{"nodes/b/qemu-server/103.conf"});
}

TEST(PmxcfsDump, OutputCutShortOrMiscountedIsAnError) {
  const std::string n = kPmxcfsTestNonce;
  auto cut = ParsePmxcfsDump(n + " F 9 nodes/a/qemu-server/100.conf\ncores: 2\n", n);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("100.conf"), std::string::npos) << cut.error().message;
  EXPECT_FALSE(ParsePmxcfsDump("", n));
  EXPECT_FALSE(ParsePmxcfsDump(PmxcfsFramed("a.cfg", "x"), n)) << "no END line";
  EXPECT_FALSE(ParsePmxcfsDump(n + " F 2 a.cfg\nx\n" + n + " E\n" + n + " END\n", n)) << "a count one too high";
  EXPECT_FALSE(ParsePmxcfsDump(n + " F x a.cfg\nx\n" + n + " E\n" + n + " END\n", n)) << "no count";
}

TEST(PmxcfsDump, PatternsAreCheckedAndPassedAsArgumentsNotSplicedIntoTheScript) {
  EXPECT_FALSE(PmxcfsReadCommand("x", "/etc/pve", {"nodes/*/$(reboot)"}));
  EXPECT_FALSE(PmxcfsReadCommand("x", "/etc/pve", {"../etc/shadow"}));
  EXPECT_FALSE(PmxcfsReadCommand("x", "/etc/pve", {"/etc/shadow"}));
  EXPECT_FALSE(PmxcfsReadCommand("x", "/etc/pve", {"{a,b}.cfg"}));
  EXPECT_FALSE(PmxcfsReadCommand("x", "/etc/pve", {"~/x"}));
  auto argv = PmxcfsReadCommand("x", "/etc/pve", {"nodes/*/lxc/*.conf"});
  ASSERT_TRUE(argv);
  EXPECT_EQ((*argv)[0], "perl");
  EXPECT_EQ(argv->back(), "nodes/*/lxc/*.conf");
  EXPECT_EQ((*argv)[2].find("nodes/"), std::string::npos) << "the script itself names no path";
}

// GET /cluster/ha/rules from ha/rules.cfg: Proxmox's header reading (type case-insensitive, a bad id
// skipped), the lists encoded sorted, booleans as numbers, order and digest; the API must answer while groups
// are not migrated; a broken `nodes` list is an error (the kind then lists over the API).
TEST(PmxcfsDump, HaRulesAreTheListAnswerOfRulesCfg) {
  PmxcfsFiles files;
  const std::string text =
      "# by hand\nNode-Affinity: pin\n\tresources vm:101,ct:100 vm:101\n\tnodes pve-02:1,pve-01:2,pve-03\n\tstrict\n\n"
      "resource-affinity: 9bad\n\tresources vm:1,vm:2\n\n"
      "resource-affinity: apart\n\tresources vm:2,vm:1\n\taffinity negative\n\tdisable 0\n\tcomment a  b\n\n"
      "location: unknown-type\n\tnodes pve-01\n";
  files.files["ha/rules.cfg"] = text;
  auto rules = ha_rules::RulesFromPmxcfs(files);
  ASSERT_TRUE(rules.has_value());
  ASSERT_TRUE(*rules) << rules->error().message;
  ASSERT_EQ((*rules)->size(), 2u);
  const std::string digest = pve::Sha1Hex(text);
  EXPECT_EQ((**rules)[0], (Value{{"rule", "pin"}, {"type", "node-affinity"}, {"digest", digest}, {"order", 1},
                                 {"resources", "ct:100,vm:101"}, {"nodes", "pve-01:2,pve-02:1,pve-03"}, {"strict", 1}}));
  EXPECT_EQ((**rules)[1], (Value{{"rule", "apart"}, {"type", "resource-affinity"}, {"digest", digest}, {"order", 2},
                                 {"resources", "vm:1,vm:2"}, {"affinity", "negative"}, {"disable", 0}, {"comment", "a  b"}}));

  files.files["ha/groups.cfg"] = "group: web\n\tnodes pve-01\n";
  EXPECT_FALSE(ha_rules::RulesFromPmxcfs(files).has_value()) << "groups not migrated: the API answers";
  files.files.erase("ha/groups.cfg");

  files.files["ha/rules.cfg"] = "node-affinity: broken\n\tresources vm:1\n\tnodes pve-01:x\n";
  auto broken = ha_rules::RulesFromPmxcfs(files);
  ASSERT_TRUE(broken.has_value());
  ASSERT_FALSE(*broken);
  EXPECT_NE(broken->error().message.find("ha/rules.cfg: broken: nodes"), std::string::npos) << broken->error().message;

  files.files.clear();  // no rules.cfg: no rules (the API's empty list)
  auto none = ha_rules::RulesFromPmxcfs(files);
  ASSERT_TRUE(none.has_value() && *none);
  EXPECT_TRUE((*none)->empty());
}

TEST(PmxcfsReadScript, PrintsEveryMatchingFileOnceInOneProcessExactlyAsStored) {
  testing::TempDir root("pmxcfs-read");
  ::mkdir(root.File("nodes").c_str(), 0700);
  ::mkdir(root.File("nodes/pve-01").c_str(), 0700);
  ::mkdir(root.File("nodes/pve-01/qemu-server").c_str(), 0700);
  ::mkdir(root.File("ha").c_str(), 0700);
  const std::string binary("cores: 2\n\0\xff\n", 12);
  testing::WriteText(root.File("nodes/pve-01/qemu-server/100.conf"), binary);
  testing::WriteText(root.File("nodes/pve-01/qemu-server/101.conf"), "");
  testing::WriteText(root.File("nodes/pve-01/qemu-server/bad name.conf"), "skipped: a space\n");
  testing::WriteText(root.File("storage.cfg"), "dir: local\n\tpath /var/lib/vz");
  testing::WriteText(root.File("ha/groups.cfg"), std::string(kPmxcfsTestNonce) + " END\n");
  auto argv = PmxcfsReadCommand(kPmxcfsTestNonce, root.path(),
                                {"nodes/*/qemu-server/*.conf", "storage.cfg", "ha/*.cfg", "missing.cfg", "sdn/*.cfg"});
  ASSERT_TRUE(argv) << argv.error().message;
  testing::ProcessResult run = testing::RunProcess(*argv);
  ASSERT_EQ(run.exit_status, 0) << run.output;
  auto files = ParsePmxcfsDump(run.output, kPmxcfsTestNonce);
  ASSERT_TRUE(files) << files.error().message << "\n" << run.output;
  EXPECT_EQ(files->files.size(), 4u);
  EXPECT_EQ(files->files.at("nodes/pve-01/qemu-server/100.conf"), binary);
  EXPECT_EQ(files->files.at("nodes/pve-01/qemu-server/101.conf"), "");
  EXPECT_EQ(files->files.at("storage.cfg"), "dir: local\n\tpath /var/lib/vz");
  EXPECT_EQ(files->files.at("ha/groups.cfg"), std::string(kPmxcfsTestNonce) + " END\n");
  EXPECT_TRUE(files->unreadable.empty());
}

TEST(PmxcfsReadScript, AMissingRootIsItsOwnExitStatus) {
  auto argv = PmxcfsReadCommand(kPmxcfsTestNonce, "/nonexistent-hainfra-root", {"storage.cfg"});
  ASSERT_TRUE(argv);
  EXPECT_EQ(testing::RunProcess(*argv).exit_status, 90);
}

}  // namespace
}  // namespace hainfra::providers
