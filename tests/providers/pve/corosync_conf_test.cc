// corosync.conf read, edited and written back from the real capture; corosync-cfgtool -s parsed.
#include "providers/pve/corosync_conf.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/pve/corosync_cfgtool.h"

namespace hainfra::pve {
namespace {

std::string Capture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

#define CAPTURE_OR_SKIP(var, name)                                                                     \
  const std::string var = Capture(name);                                                               \
  if (var.empty()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR << " (" \
                                << name << ")"

TEST(CorosyncConf, TheRealThreeNodeTwoLinkFileRoundTripsUnchanged) {
  CAPTURE_OR_SKIP(text, "cfg-corosync-3node-2links-docs.conf");
  auto root = ParseCorosyncConf(text);
  ASSERT_TRUE(root.has_value()) << root.error().message;
  EXPECT_EQ(FormatCorosyncConf(*root), text);
  auto view = ReadCorosyncView(*root);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->cluster_name, "testcluster");
  EXPECT_EQ(view->config_version, 4);
  ASSERT_EQ(view->nodes.size(), 3u);
  EXPECT_EQ(view->nodes[0].name, "due");
  EXPECT_EQ(view->nodes[0].nodeid, 2);
  EXPECT_EQ(view->nodes[0].links.at(0), "10.10.10.2");
  EXPECT_EQ(view->nodes[0].links.at(1), "10.20.20.2");
  EXPECT_EQ(view->interfaces.size(), 2u);
  EXPECT_EQ(view->totem.at("secauth"), "on");
}

TEST(CorosyncConf, ALinkChangeKeepsUnknownSectionsKeysAndComments) {
  const std::string text =
      "# managed by hand\nlogging {\n  to_syslog: yes\n  custom_key: 7\n}\n\nnodelist {\n  node {\n    name: a\n"
      "    nodeid: 1\n    ring0_addr: 10.0.0.1\n  }\n}\n\nresources {\n  watchdog_timeout: 6\n}\n\ntotem {\n"
      "  cluster_name: c\n  config_version: 9\n  # keep me\n  interface {\n    linknumber: 0\n  }\n}\n";
  auto root = ParseCorosyncConf(text);
  ASSERT_TRUE(root.has_value()) << root.error().message;
  ASSERT_TRUE(SetLinkAddress(*root, "a", 0, "10.9.0.1").has_value());
  ASSERT_TRUE(SetLinkAddress(*root, "a", 1, "10.8.0.1").has_value());
  ASSERT_TRUE(BumpConfigVersion(*root).has_value());
  std::string expected = text;
  expected.replace(expected.find("10.0.0.1"), 8, "10.9.0.1\n    ring1_addr: 10.8.0.1");
  expected.replace(expected.find("config_version: 9"), 17, "config_version: 10");
  EXPECT_EQ(FormatCorosyncConf(*root), expected);
  EXPECT_EQ(SetLinkAddress(*root, "zz", 0, "1.2.3.4").error().code, Code::kNotFound);
}

TEST(CorosyncConf, AnEditedCopyLeavesTheOriginalAlone) {
  auto root = ParseCorosyncConf("nodelist {\n  node {\n    name: a\n    nodeid: 1\n    ring0_addr: 10.0.0.1\n  }\n}\n"
                                "totem {\n  config_version: 1\n}\n");
  ASSERT_TRUE(root.has_value()) << root.error().message;
  CorosyncSection copy = *root;
  ASSERT_TRUE(SetLinkAddress(copy, "a", 0, "10.0.0.9").has_value());
  ASSERT_TRUE(BumpConfigVersion(copy).has_value());
  EXPECT_NE(FormatCorosyncConf(*root).find("ring0_addr: 10.0.0.1\n"), std::string::npos);
  EXPECT_NE(FormatCorosyncConf(*root).find("config_version: 1\n"), std::string::npos);
  EXPECT_NE(FormatCorosyncConf(copy).find("ring0_addr: 10.0.0.9\n"), std::string::npos);
}

TEST(CorosyncConf, BadInputNamesTheLine) {
  auto r = ParseCorosyncConf("totem {\n  version: 2\n}\n}\n", "/etc/pve/corosync.conf");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "/etc/pve/corosync.conf:4: unmatched '}'");
  r = ParseCorosyncConf("totem {\n  version 2\n}\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("corosync.conf:2: expected 'key: value'"), std::string::npos) << r.error().message;
  r = ParseCorosyncConf("totem {\n  version: 2\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("section 'totem' is not closed"), std::string::npos);
  auto no_version = ParseCorosyncConf("totem {\n  cluster_name: x\n}\n");
  ASSERT_TRUE(no_version.has_value());
  EXPECT_FALSE(ReadCorosyncView(*no_version).has_value());
  EXPECT_FALSE(BumpConfigVersion(*no_version).has_value());
}

TEST(CorosyncCfgtool, ReadsTheRealThreeNodeStatus) {
  CAPTURE_OR_SKIP(text, "cli-corosync-cfgtool-s-3node.txt");
  auto status = ParseCfgtoolStatus(text);
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_EQ(status->local_nodeid, 1);
  ASSERT_EQ(status->links.size(), 1u);
  EXPECT_EQ(status->links.at(0).address, "20.20.20.50");
  EXPECT_EQ(status->links.at(0).nodes.at(1), "localhost");
  EXPECT_TRUE(status->Connected(0, {1, 2, 3}));
  EXPECT_FALSE(status->Connected(1, {1, 2, 3})) << "no link 1";
  EXPECT_FALSE(status->Connected(0, {1, 2, 3, 4})) << "node 4 not seen";
}

TEST(CorosyncCfgtool, ADisconnectedNodeIsNotConnectedAndGarbageIsAnError) {
  auto status = ParseCfgtoolStatus(
      "Local node ID 2, transport knet\nLINK ID 1 udp\n\taddr\t= 10.1.20.12\n\tstatus:\n\t\tnodeid:   1:\tconnected\n"
      "\t\tnodeid:   2:\tlocalhost\n\t\tnodeid:   3:\tdisconnected\n");
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_TRUE(status->Connected(1, {1, 2}));
  EXPECT_FALSE(status->Connected(1, {1, 2, 3}));
  EXPECT_FALSE(ParseCfgtoolStatus("hello\n").has_value());
  EXPECT_FALSE(ParseCfgtoolStatus("").has_value());
}

}  // namespace
}  // namespace hainfra::pve

#undef CAPTURE_OR_SKIP
