// The qdevice kind's translations, pure: the spec's `cluster.corosync.qdevice` with pvecm's defaults, the
// quorum.device section written into (and read back from) corosync.conf, and the API's qdevice status.
#include <gtest/gtest.h>

#include "engine/plan/diff.h"
#include "providers/kinds/qdevice.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::providers {
namespace {

// A corosync.conf as `pvecm create` writes it for four nodes, without a QDevice.
constexpr const char* kFourNodes =
    "logging {\n  debug: off\n  to_syslog: yes\n}\n\nnodelist {\n"
    "  node {\n    name: pve-01\n    nodeid: 1\n    quorum_votes: 1\n    ring0_addr: 10.1.10.11\n  }\n"
    "  node {\n    name: pve-02\n    nodeid: 2\n    quorum_votes: 1\n    ring0_addr: 10.1.10.12\n  }\n"
    "}\n\nquorum {\n  provider: corosync_votequorum\n}\n\n"
    "totem {\n  cluster_name: lab\n  config_version: 4\n  interface {\n    linknumber: 0\n  }\n"
    "  ip_version: ipv4-6\n  link_mode: passive\n  secauth: on\n  version: 2\n}\n";

pve::CorosyncSection Parse(const std::string& text) {
  auto root = pve::ParseCorosyncConf(text);
  EXPECT_TRUE(root.has_value()) << root.error().message;
  return root.value_or(pve::CorosyncSection{});
}

TEST(QdeviceSettings, AnEvenClusterGetsFfsplitWithOneVoteAsPvecmSetsItUp) {
  QdeviceSettings s = QdeviceSettingsFor(Value{{"address", "10.0.0.5"}}, 4);
  EXPECT_EQ(s.host, "10.0.0.5");
  EXPECT_EQ(s.algorithm, "ffsplit");
  EXPECT_EQ(s.tls, "on");
  EXPECT_EQ(s.votes, 1);
  EXPECT_FALSE(s.port.has_value());
}

TEST(QdeviceSettings, AnOddClusterGetsLmsWithCorosyncsOwnVoteCount) {
  QdeviceSettings s = QdeviceSettingsFor(Value{{"address", "10.0.0.5"}}, 3);
  EXPECT_EQ(s.algorithm, "lms");
  EXPECT_FALSE(s.votes.has_value());
}

TEST(QdeviceConf, TheDeviceSectionIsWrittenIntoQuorumAndReadsBackAsTheSpecWroteIt) {
  QdeviceSettings s = QdeviceSettingsFor(Value{{"address", "10.0.0.5"}, {"tls", "required"}, {"port", 5404}}, 2);
  pve::CorosyncSection root = WithQdevice(Parse(kFourNodes), s);
  const std::string text = pve::FormatCorosyncConf(root);
  EXPECT_NE(text.find("quorum {\n  provider: corosync_votequorum\n  device {\n    model: net\n    votes: 1\n"
                      "    net {\n      tls: required\n      host: 10.0.0.5\n      port: 5404\n"
                      "      algorithm: ffsplit\n    }\n  }\n}\n"),
            std::string::npos)
      << text;
  Value observed = QdeviceObservedBody(Parse(text));
  EXPECT_EQ(observed, (Value{{"address", "10.0.0.5"}, {"algorithm", "ffsplit"}, {"tls", "required"},
                             {"port", 5404}, {"votes", 1}}));
}

TEST(QdeviceConf, RemovingTheDeviceKeepsTheRestOfQuorum) {
  QdeviceSettings s = QdeviceSettingsFor(Value{{"address", "10.0.0.5"}}, 2);
  pve::CorosyncSection root = WithoutQdevice(WithQdevice(Parse(kFourNodes), s));
  EXPECT_EQ(pve::FormatCorosyncConf(root), kFourNodes);
  EXPECT_TRUE(QdeviceObservedBody(root).is_null());
}

TEST(QdeviceConf, AConfWithoutADeviceObservesNoQdevice) {
  EXPECT_TRUE(QdeviceObservedBody(Parse(kFourNodes)).is_null());
}

TEST(QdeviceApi, TheQdeviceStatusOfTheApiGivesHostPortAndAlgorithm) {
  // GET /cluster/config/qdevice as pve-cluster's ClusterConfig.pm reads corosync-qdevice's "status verbose".
  Value status = {{"Algorithm", "Fifty-Fifty split"}, {"Echo reply", "received"}, {"Model", "Net"},
                  {"QNetd host", "10.0.0.5:5403"}, {"State", "Connected"}, {"Tie-breaker", "Node with lowest node ID"}};
  EXPECT_EQ(QdeviceObservedBodyFromApi(status), (Value{{"address", "10.0.0.5"}, {"algorithm", "ffsplit"}}));
  Value lms = {{"Algorithm", "LMS"}, {"QNetd host", "[fd00::5]:5404"}};
  EXPECT_EQ(QdeviceObservedBodyFromApi(lms), (Value{{"address", "fd00::5"}, {"port", 5404}, {"algorithm", "lms"}}));
  EXPECT_TRUE(QdeviceObservedBodyFromApi(Value::object()).is_null());
}

TEST(QdeviceDesired, StateAbsentAsksForRemovalAndIsNotPartOfTheBody) {
  auto spec = testing::LoadSpecForTest(
      "cluster:\n  name: lab\n  corosync:\n    qdevice: { address: 10.0.0.5, state: absent }\n"
      "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n  - { name: pve-02, address: 10.0.0.12 }\n",
      "spec.yaml");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  bool absent = false;
  Value body = QdeviceDesiredBody(*spec, absent);
  EXPECT_TRUE(absent);
  EXPECT_EQ(body, (Value{{"address", "10.0.0.5"}}));
}

TEST(QdeviceDesired, ChangingTheQnetdHostIsANewSetupAndTheAlgorithmAnEdit) {
  KindDeps deps;  // the diff is pure: no transport is touched
  auto kind = MakeQdeviceKind(deps);
  Resource desired;
  desired.address = {"qdevice", "lab"};
  desired.body = Value{{"address", "10.0.0.6"}};
  Observed observed{{"qdevice", "lab"}, Value{{"address", "10.0.0.5"}, {"algorithm", "ffsplit"}, {"tls", "on"}}, "v1",
                    false};
  Diagnostics diagnostics;
  EXPECT_EQ(plan::Diff(*kind, &desired, &observed, plan::DiffOptions{false}, diagnostics).action, Action::kReplace);
  desired.body = Value{{"address", "10.0.0.5"}, {"algorithm", "lms"}};
  EXPECT_EQ(plan::Diff(*kind, &desired, &observed, plan::DiffOptions{false}, diagnostics).action, Action::kUpdate);
  EXPECT_TRUE(diagnostics.empty());
}

}  // namespace
}  // namespace hainfra::providers
