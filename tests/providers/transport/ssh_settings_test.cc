#include "providers/transport/ssh_settings.h"

#include <gtest/gtest.h>

#include "tests/testing/transport_testing.h"

namespace hainfra::transport {
namespace {

using testing::EnvOf;

TEST(SshSettings, ReadsTheSpecAndExpandsHome) {
  auto s = ResolveSshSettings({{"user", "admin"}, {"identity", "~/.ssh/id_ed25519"}, {"known_hosts", "~/kh"},
                               {"port", 2222}, {"trust_on_first_use", true}, {"timeout", 30}},
                              {{"pve-01", "10.0.0.11"}, {"pve-02", "10.0.0.12:2200"}}, EnvOf({{"HOME", "/home/ops"}}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->user, "admin");
  EXPECT_EQ(s->identity, "/home/ops/.ssh/id_ed25519");
  EXPECT_EQ(s->known_hosts, "/home/ops/kh");
  EXPECT_EQ(s->port, 2222);
  EXPECT_TRUE(s->trust_on_first_use);
  EXPECT_EQ(s->command_timeout, std::chrono::seconds(30));
  EXPECT_EQ(s->addresses.at("pve-01").host, "10.0.0.11");
  EXPECT_EQ(s->addresses.at("pve-01").port, 0);
  EXPECT_EQ(s->addresses.at("pve-02").port, 2200);
}

TEST(SshSettings, DefaultsAreStrictRootWithTheUsualFiles) {
  auto s = ResolveSshSettings(Value(), {}, EnvOf({{"HOME", "/root"}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user, "root");
  EXPECT_EQ(s->port, 22);
  EXPECT_EQ(s->known_hosts, "/root/.ssh/known_hosts");
  EXPECT_FALSE(s->trust_on_first_use);
  EXPECT_FALSE(s->use_ssh_config);
  EXPECT_TRUE(s->identity.empty());
}

TEST(SshSettings, EnvironmentOverridesSpecAndNodeAddresses) {
  auto s = ResolveSshSettings({{"user", "admin"}}, {{"pve-01", "10.0.0.11"}},
                              EnvOf({{"HAINFRA_SSH_USER", "ci"}, {"HAINFRA_SSH_IDENTITY", "/keys/ci"},
                                     {"HAINFRA_SSH_KNOWN_HOSTS", "/keys/known"}, {"HAINFRA_SSH_PORT", "2022"},
                                     {"HAINFRA_SSH_ADDRESSES", "pve-01=127.0.0.1:40001,pve-03=[::1]:40003"}}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->user, "ci");
  EXPECT_EQ(s->identity, "/keys/ci");
  EXPECT_EQ(s->known_hosts, "/keys/known");
  EXPECT_EQ(s->port, 2022);
  EXPECT_EQ(s->addresses.at("pve-01").host, "127.0.0.1");
  EXPECT_EQ(s->addresses.at("pve-01").port, 40001);
  EXPECT_EQ(s->addresses.at("pve-03").host, "::1");
  EXPECT_EQ(s->addresses.at("pve-03").port, 40003);
}

TEST(NodeAddress, ParsesHostsPortsAndIpv6) {
  EXPECT_EQ(ParseNodeAddress("10.0.0.11")->host, "10.0.0.11");
  EXPECT_EQ(ParseNodeAddress("pve-01.lab:2222")->port, 2222);
  EXPECT_EQ(ParseNodeAddress("fd00::11")->host, "fd00::11");
  EXPECT_EQ(ParseNodeAddress("[fd00::11]")->host, "fd00::11");
  EXPECT_EQ(ParseNodeAddress("[fd00::11]:22")->port, 22);
  for (const char* bad : {"", "host:0", "host:70000", "host:x", ":22", "[::1", "[::1]x", "a b", "user@host"}) {
    EXPECT_FALSE(ParseNodeAddress(bad)) << bad;
  }
}

TEST(SshSettings, BadInputsNameTheirSource) {
  auto bad_key = ResolveSshSettings({{"usr", "root"}}, {}, EnvOf({}));
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().message.find("cluster.ssh.usr: unknown key"), std::string::npos);
  auto bad_port = ResolveSshSettings({{"port", "22"}}, {}, EnvOf({}));
  ASSERT_FALSE(bad_port);
  EXPECT_NE(bad_port.error().message.find("cluster.ssh.port"), std::string::npos);
  auto bad_node = ResolveSshSettings(Value(), {{"pve-01", "10.0.0.11:99999"}}, EnvOf({}));
  ASSERT_FALSE(bad_node);
  EXPECT_NE(bad_node.error().message.find("nodes.pve-01.address"), std::string::npos);
  auto bad_env = ResolveSshSettings(Value(), {}, EnvOf({{"HAINFRA_SSH_ADDRESSES", "pve-01"}}));
  ASSERT_FALSE(bad_env);
  EXPECT_NE(bad_env.error().message.find("HAINFRA_SSH_ADDRESSES"), std::string::npos);
  auto bad_env_port = ResolveSshSettings(Value(), {}, EnvOf({{"HAINFRA_SSH_PORT", "ssh"}}));
  ASSERT_FALSE(bad_env_port);
  EXPECT_NE(bad_env_port.error().message.find("HAINFRA_SSH_PORT"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::transport
