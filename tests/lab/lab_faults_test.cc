// pvelab's node faults for the fault-injection matrix (docs/faults.md): an SSH session cut in the middle of
// a command, and a frozen node, as hainfra's own SSH client sees them.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "providers/transport/ssh_client.h"
#include "providers/transport/ssh_settings.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

class LabNodeFaults : public LabTest {
 protected:
  std::unique_ptr<transport::SshClient> Client() {
    transport::SshSettings settings;
    const auto& env = lab_->Env();
    auto lookup = [&env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    Status applied = transport::ApplySshEnvironment(settings, lookup);
    EXPECT_TRUE(applied.has_value()) << applied.error().message;
    settings.connect_timeout = std::chrono::seconds(3);
    auto client = transport::SshClient::Create(settings);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }
};

TEST_F(LabNodeFaults, ACutSshSessionFailsTheCommandInFlightAndTheNextCommandReconnects) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  ASSERT_TRUE(ssh->RunChecked("pve-02", {"true"}).has_value());
  auto in_flight = std::async(std::launch::async, [&] { return ssh->Run("pve-02", {"sleep", "20"}); });
  ASSERT_EQ(in_flight.wait_for(std::chrono::milliseconds(800)), std::future_status::timeout);
  ASSERT_TRUE(lab_->Fault({"ssh-cut", "pve-02"}).has_value());
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the cut did not end the session";
  auto cut = in_flight.get();
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code, Code::kUnavailable) << cut.error().message;
  auto next = ssh->RunChecked("pve-02", {"hostname"});
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_EQ(*next, "pve-02\n");
}

TEST_F(LabNodeFaults, AFrozenNodeAnswersNothingUntilThawed) {
  auto ssh = Client();
  ASSERT_NE(ssh, nullptr);
  ASSERT_TRUE(lab_->Fault({"freeze", "pve-03"}).has_value());
  const auto started = std::chrono::steady_clock::now();
  auto frozen = ssh->Run("pve-03", {"true"}, {.stdin_data = "", .timeout = std::chrono::seconds(3)});
  EXPECT_FALSE(frozen.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "not bounded by the timeouts";
  ASSERT_TRUE(lab_->Fault({"thaw", "pve-03"}).has_value());
  ssh->Disconnect("pve-03");
  auto thawed = ssh->RunChecked("pve-03", {"hostname"});
  ASSERT_TRUE(thawed.has_value()) << thawed.error().message;
  EXPECT_EQ(*thawed, "pve-03\n");
}

}  // namespace
}  // namespace hainfra::testing
