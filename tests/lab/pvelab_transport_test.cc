// pvelab serves hainfra's own SSH client (libssh, strict known_hosts) from the lab's HAINFRA_SSH_* lines:
// commands, atomic file writes into /etc, an sshd drop-in validated and reloaded with the node's systemctl.
#include <gtest/gtest.h>

#include "providers/transport/ssh_client.h"
#include "providers/transport/ssh_settings.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

// Its tests put back what they change (a drop-in on one node, a management link): one lab for all of them.
class LabTransport : public LabTest {
 protected:
  bool OneLabForTheSuite() const override { return true; }
  std::unique_ptr<transport::SshClient> Client() {
    transport::SshSettings settings;
    const auto& env = lab_->Env();
    auto lookup = [&env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    Status applied = transport::ApplySshEnvironment(settings, lookup);
    EXPECT_TRUE(applied.has_value()) << applied.error().message;
    settings.connect_timeout = std::chrono::seconds(5);
    auto client = transport::SshClient::Create(settings);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }
};

TEST_F(LabTransport, HainfraSshClientRunsCommandsOnEveryNode) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  for (const std::string& node : lab_->Nodes()) {
    auto r = ssh->RunChecked(node, {"hostname"});
    ASSERT_TRUE(r.has_value()) << node << ": " << r.error().message;
    EXPECT_EQ(*r, node + "\n");
  }
  auto conf = ssh->ReadFile("pve-02", "/etc/pve/corosync.conf");
  ASSERT_TRUE(conf.has_value()) << conf.error().message;
  EXPECT_NE(conf->find("ring1_addr: " + lab_->Link1("pve-03")), std::string::npos);
  auto version = ssh->RunChecked("pve-01", {"dpkg-query", "-W", "-f", "${Version}", "pve-manager"});
  ASSERT_TRUE(version.has_value()) << version.error().message;
  EXPECT_EQ(*version, "9.1.1");
}

TEST_F(LabTransport, SshdDropInIsWrittenValidatedAndReloaded) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  auto written = ssh->WriteFileAtomic("pve-03", "/etc/ssh/sshd_config.d/hainfra.conf",
                                      "PasswordAuthentication no\nMaxAuthTries 4\n", {.mode = 0644, .owner = ""});
  ASSERT_TRUE(written.has_value()) << written.error().message;
  EXPECT_TRUE(*written);
  auto effective = ssh->RunChecked("pve-03", {"sh", "-c", "sshd -T | grep -i '^maxauthtries'"});
  ASSERT_TRUE(effective.has_value()) << effective.error().message;
  EXPECT_EQ(*effective, "maxauthtries 4\n");
  ASSERT_TRUE(ssh->RunChecked("pve-03", {"systemctl", "reload", "ssh"}).has_value());
  ssh->Disconnect("pve-03");
  // sshd re-executes itself on SIGHUP: for a moment nothing listens (as on a real node after
  // `systemctl reload ssh`), so a client verifying the reload retries a fresh connection briefly.
  bool reconnected = PvelabFixture::WaitFor(
      [&] {
        ssh->Disconnect("pve-03");
        return ssh->RunChecked("pve-03", {"true"}).has_value();
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(reconnected) << "no fresh connection within 10 s of the reload";
  EXPECT_EQ(lab_->Exec("pve-01", "test -e /etc/ssh/sshd_config.d/hainfra.conf").exit_code, 1)
      << "the drop-in belongs to pve-03 only";
}

TEST_F(LabTransport, UnreachableNodeIsUnavailableAndComesBack) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  ASSERT_TRUE(ssh->RunChecked("pve-02", {"true"}).has_value());
  ssh->Disconnect("pve-02");
  ASSERT_TRUE(lab_->Fault({"ssh-unreachable", "pve-02"}).has_value());
  auto r = ssh->Run("pve-02", {"true"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kUnavailable) << r.error().message;
  ASSERT_TRUE(lab_->Fault({"ssh-reachable", "pve-02"}).has_value());
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return ssh->Run("pve-02", {"true"}).has_value(); }, std::chrono::seconds(15)));
}

}  // namespace
}  // namespace hainfra::testing
