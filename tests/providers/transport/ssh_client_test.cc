// The SSH client against a real OpenSSH sshd on loopback.
#include "providers/transport/ssh_client.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/testing/sshd_fixture.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/tcp_test_servers.h"
#include "tests/testing/transport_testing.h"

namespace hainfra::transport {
namespace {

using testing::Contains;
using testing::ReadText;
using testing::SshdFixture;

class SshClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0) GTEST_SKIP() << sshd_.error();
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
  }

  std::unique_ptr<SshClient> Client(SshSettings settings) {
    SshHooks hooks;
    hooks.log = [this](LogLevel, std::string_view line) {
      std::lock_guard lock(mu_);
      logs_.emplace_back(line);
    };
    auto client = SshClient::Create(std::move(settings), hooks);
    EXPECT_TRUE(client) << client.error().ToString();
    return client ? std::move(*client) : nullptr;
  }
  std::unique_ptr<SshClient> Client() { return Client(sshd_.Settings()); }

  std::vector<std::string> Logs() {
    std::lock_guard lock(mu_);
    return logs_;
  }

  SshdFixture sshd_;
  std::mutex mu_;
  std::vector<std::string> logs_;
};

TEST_F(SshClientTest, KnownHostKeyIsAcceptedAndTheCommandRuns) {
  auto client = Client();
  auto result = client->Run("pve-01", {"echo", "hello"});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->exit_status, 0);
  EXPECT_EQ(result->stdout_text, "hello\n");
  EXPECT_EQ(result->stderr_text, "");
}

TEST_F(SshClientTest, ChangedHostKeyIsRefusedShowingTheOfferedFingerprint) {
  auto settings = sshd_.Settings();
  settings.known_hosts = sshd_.wrong_known_hosts();
  settings.trust_on_first_use = true;  // never applies to a changed key
  auto client = Client(settings);
  auto result = client->Run("pve-01", {"true"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(result.error().message, "HOST KEY CHANGED")) << result.error().message;
  EXPECT_TRUE(Contains(result.error().message, sshd_.host_fingerprint())) << result.error().message;
  EXPECT_EQ(ReadText(sshd_.wrong_known_hosts()).find("\n"), ReadText(sshd_.wrong_known_hosts()).size() - 1)
      << "a changed key must not be appended";
}

TEST_F(SshClientTest, UnknownHostKeyIsRefusedByDefault) {
  for (const std::string& file : {sshd_.dir().File("empty_known_hosts"), sshd_.dir().File("missing/known_hosts")}) {
    if (file.ends_with("empty_known_hosts")) testing::WriteText(file, "");
    auto settings = sshd_.Settings();
    settings.known_hosts = file;
    auto client = Client(settings);
    auto result = client->Run("pve-01", {"true"});
    ASSERT_FALSE(result) << file;
    EXPECT_EQ(result.error().code, Code::kPermissionDenied);
    EXPECT_TRUE(Contains(result.error().message, "host key unknown")) << result.error().message;
    EXPECT_TRUE(Contains(result.error().message, sshd_.host_fingerprint())) << result.error().message;
    EXPECT_TRUE(Contains(result.error().message, "trust_on_first_use")) << result.error().message;
  }
}

TEST_F(SshClientTest, TrustOnFirstUseRecordsTheKeyThenStrictChecksPass) {
  auto settings = sshd_.Settings();
  settings.known_hosts = sshd_.dir().File("tofu_known_hosts");
  settings.trust_on_first_use = true;
  auto client = Client(settings);
  auto first = client->Run("pve-01", {"true"});
  ASSERT_TRUE(first) << first.error().ToString();
  std::string recorded = ReadText(settings.known_hosts);
  EXPECT_TRUE(Contains(recorded, "[127.0.0.1]:" + std::to_string(sshd_.port()) + " ssh-ed25519 ")) << recorded;
  auto logs = Logs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(Contains(logs[0], "trusted on first use")) << logs[0];
  EXPECT_TRUE(Contains(logs[0], sshd_.host_fingerprint())) << logs[0];

  settings.trust_on_first_use = false;
  auto strict = Client(settings);
  auto again = strict->Run("pve-01", {"true"});
  EXPECT_TRUE(again) << again.error().ToString();
}

TEST_F(SshClientTest, UnauthorizedKeyIsPermissionDenied) {
  auto settings = sshd_.Settings();
  settings.identity = sshd_.stranger_key();
  auto client = Client(settings);
  auto result = client->Run("pve-01", {"true"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(result.error().message, "authentication refused")) << result.error().message;
}

TEST_F(SshClientTest, MissingIdentityFileIsInvalidArgument) {
  auto settings = sshd_.Settings();
  settings.identity = sshd_.dir().File("no_such_key");
  auto client = Client(settings);
  auto result = client->Run("pve-01", {"true"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(Contains(result.error().message, "no_such_key")) << result.error().message;
}

TEST_F(SshClientTest, SshAgentAuthenticates) {
  testing::SshAgent agent(sshd_);
  ASSERT_TRUE(agent.ok()) << agent.error();
  auto settings = sshd_.Settings();
  settings.identity.clear();
  settings.agent_socket = agent.socket();
  auto client = Client(settings);
  auto result = client->Run("pve-01", {"echo", "via agent"});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, "via agent\n");
}

TEST_F(SshClientTest, ExitStatusStdoutAndStderrAreSeparate) {
  auto client = Client();
  auto result = client->Run("pve-01", {"sh", "-c", "echo out; echo err >&2; exit 7"});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->exit_status, 7);
  EXPECT_FALSE(result->ok());
  EXPECT_EQ(result->stdout_text, "out\n");
  EXPECT_EQ(result->stderr_text, "err\n");
}

TEST_F(SshClientTest, TenMegabytesOnEachStreamArriveWhole) {
  auto client = Client();
  auto result = client->Run(
      "pve-01", {"sh", "-c", "yes 0123456789abcdef | head -c 10485760; yes ghijklmnopqrstu | head -c 10485760 >&2"});
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->stdout_text.size(), 10485760u);
  ASSERT_EQ(result->stderr_text.size(), 10485760u);
  EXPECT_EQ(result->stdout_text.substr(0, 17), "0123456789abcdef\n");
  // 10485760 = 616809 lines of 17 bytes + 7: the stream ends inside a line, exactly where head cut it.
  EXPECT_EQ(result->stdout_text.substr(10485760 - 24), "0123456789abcdef\n0123456");
  EXPECT_EQ(result->stderr_text.substr(0, 16), "ghijklmnopqrstu\n");
  EXPECT_EQ(result->stdout_text.find("ghij"), std::string::npos);
}

TEST_F(SshClientTest, TenMegabytesOfStdinComeBackThroughCat) {
  auto client = Client();
  std::string input;
  input.reserve(10 << 20);
  for (size_t i = 0; input.size() < (10u << 20); ++i) input += std::to_string(i * 2654435761u) + "\n";
  RunOptions options;
  options.stdin_data = input;
  auto result = client->Run("pve-01", {"cat"}, options);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->stdout_text.size(), input.size());
  EXPECT_TRUE(result->stdout_text == input);
  EXPECT_EQ(client->Counters().bytes_sent, input.size());
}

TEST_F(SshClientTest, OutputOverTheLimitIsRefused) {
  auto settings = sshd_.Settings();
  settings.max_output_bytes = 1 << 20;
  auto client = Client(settings);
  auto result = client->Run("pve-01", {"sh", "-c", "yes | head -c 3000000"});
  ASSERT_FALSE(result);
  EXPECT_TRUE(Contains(result.error().message, "more than 1 MiB")) << result.error().message;
  auto next = client->Run("pve-01", {"echo", "ok"});
  EXPECT_TRUE(next) << next.error().ToString();
}

TEST_F(SshClientTest, TimeoutKillsTheRemoteCommandAndItsChildrenAndTheSessionStaysUsable) {
  auto client = Client();
  const std::string pid_file = sshd_.dir().File("sleeper.pid");
  RunOptions options;
  options.timeout = std::chrono::milliseconds(800);
  auto started = std::chrono::steady_clock::now();
  // A grandchild in the background, as a careless script would leave one.
  auto result = client->Run("pve-01", {"sh", "-c", "sleep 60 & echo $! > \"$1\"; wait", "sh", pid_file}, options);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kDeadlineExceeded);
  EXPECT_TRUE(Contains(result.error().message, "still running after 0.8 s")) << result.error().message;
  EXPECT_LT(took, std::chrono::seconds(3));
  pid_t sleeper = std::stoi(ReadText(pid_file));
  bool gone = false;
  for (int i = 0; i < 600 && !gone; ++i) {
    gone = !testing::ProcessAlive(sleeper);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "the remote command survived its timeout; sshd log:\n" << sshd_.LogTail();
  auto next = client->Run("pve-01", {"echo", "still here"});
  ASSERT_TRUE(next) << next.error().ToString();
  EXPECT_EQ(next->stdout_text, "still here\n");
  EXPECT_EQ(client->Counters().connects, 1u);
}

TEST_F(SshClientTest, DroppedConnectionGivesAClearErrorAndTheNextCommandReconnects) {
  auto client = Client();
  ASSERT_TRUE(client->Run("pve-01", {"true"}));
  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sshd_.KillConnections();
  });
  auto result = client->Run("pve-01", {"sleep", "5"});
  killer.join();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_TRUE(Contains(result.error().message, "connection lost")) << result.error().message;
  EXPECT_TRUE(Contains(result.error().message, "`sleep`")) << result.error().message;
  auto next = client->Run("pve-01", {"echo", "back"});
  ASSERT_TRUE(next) << next.error().ToString();
  EXPECT_EQ(next->stdout_text, "back\n");
  EXPECT_EQ(client->Counters().connects, 2u);
}

TEST_F(SshClientTest, SessionThatDiedWhileIdleIsReplacedWithoutAnError) {
  auto client = Client();
  ASSERT_TRUE(client->Run("pve-01", {"true"}));
  sshd_.KillConnections();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto result = client->Run("pve-01", {"echo", "fresh"});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, "fresh\n");
  EXPECT_EQ(client->Counters().connects, 2u);
}

TEST_F(SshClientTest, OneSessionServesManyCommands) {
  auto client = Client();
  for (int i = 0; i < 20; ++i) {
    auto result = client->Run("pve-01", {"echo", std::to_string(i)});
    ASSERT_TRUE(result) << result.error().ToString();
    EXPECT_EQ(result->stdout_text, std::to_string(i) + "\n");
  }
  EXPECT_EQ(client->Counters().connects, 1u);
  EXPECT_EQ(client->Counters().commands, 20u);
}

TEST_F(SshClientTest, HostileArgumentsArriveAsLiteralArguments) {
  const std::vector<std::string> hostile = {
      "it's", "\"double\"", "a;b", "$(touch /tmp/hainfra-pwned)", "`id`", "a\nb", " spaced  out ", "*", "-n", "--",
      "", "ü ñ 日本", "\\", "$HOME", "a|b&c>d<e", "!x", "#comment", "~", "{a,b}", "\t", "'", "''", "-rf /", "${IFS}"};
  std::vector<std::string> argv = {"printf", "%s\\0"};
  argv.insert(argv.end(), hostile.begin(), hostile.end());
  auto client = Client();
  auto result = client->Run("pve-01", argv);
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->exit_status, 0) << result->stderr_text;
  std::vector<std::string> got;
  size_t start = 0;
  for (size_t nul; (nul = result->stdout_text.find('\0', start)) != std::string::npos; start = nul + 1) {
    got.push_back(result->stdout_text.substr(start, nul - start));
  }
  EXPECT_EQ(got, hostile);
  EXPECT_NE(access("/tmp/hainfra-pwned", F_OK), 0);
}

TEST_F(SshClientTest, ConcurrentCommandsOnOneNodeEachGetTheirOwnOutput) {
  auto client = Client();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        std::string word = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto result = client->Run("pve-01", {"echo", word});
        if (!result || result->stdout_text != word + "\n") ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(client->Counters().connects, 1u);
}

TEST_F(SshClientTest, UnreachableNodeIsUnavailable) {
  testing::RefusingPort refusing;
  auto settings = sshd_.Settings();
  settings.addresses["pve-09"] = NodeAddress{"127.0.0.1", refusing.port()};
  auto client = Client(settings);
  auto result = client->Run("pve-09", {"true"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_TRUE(Contains(result.error().message, "pve-09")) << result.error().message;
  EXPECT_TRUE(Contains(result.error().message, "cannot connect")) << result.error().message;
}

TEST_F(SshClientTest, SshConfigIsHonouredWhenAsked) {
  const std::string config = sshd_.dir().File("ssh_config");
  testing::WriteText(config, "Host pve-lab\n  HostName 127.0.0.1\n  Port " + std::to_string(sshd_.port()) +
                                 "\n  User " + sshd_.user() + "\n  IdentityFile " + sshd_.client_key() + "\n");
  SshSettings settings;
  settings.user = "nobody-from-settings";
  settings.known_hosts = sshd_.known_hosts();
  settings.use_ssh_config = true;
  settings.ssh_config = config;
  settings.agent_socket = sshd_.dir().File("no-agent.sock");
  auto client = Client(settings);
  auto result = client->Run("pve-lab", {"id", "-un"});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, sshd_.user() + "\n");
}

TEST_F(SshClientTest, RunCheckedReportsStatusAndStderr) {
  auto client = Client();
  auto ok = client->RunChecked("pve-01", {"echo", "fine"});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(*ok, "fine\n");
  auto failed = client->RunChecked("pve-01", {"sh", "-c", "echo 'E: Unable to locate package foo' >&2; exit 100"});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(failed.error().message, "exit status 100")) << failed.error().message;
  EXPECT_TRUE(Contains(failed.error().message, "Unable to locate package foo")) << failed.error().message;
}

TEST_F(SshClientTest, ArgumentWithANulByteIsRefusedBeforeConnecting) {
  auto client = Client();
  auto result = client->Run("pve-01", {"echo", std::string("a\0b", 3)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(client->Counters().connects, 0u);
}

}  // namespace
}  // namespace hainfra::transport

namespace hainfra::transport {
namespace {

TEST_F(SshClientTest, NodesRunInParallelOnTheirOwnSessions) {
  auto settings = sshd_.Settings("pve-01");
  settings.addresses["pve-02"] = settings.addresses["pve-01"];
  auto client = Client(settings);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (const char* node : {"pve-01", "pve-02"}) {
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, node, t] {
        for (int i = 0; i < 4; ++i) {
          std::string word = std::string(node) + "/" + std::to_string(t) + "/" + std::to_string(i);
          auto result = client->Run(node, {"echo", word});
          if (!result || result->stdout_text != word + "\n") ++wrong;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(client->Counters().connects, 2u);
  EXPECT_EQ(client->Counters().commands, 24u);
}

TEST_F(SshClientTest, DisconnectMakesTheNextCommandOpenANewSession) {
  auto client = Client();
  ASSERT_TRUE(client->Run("pve-01", {"true"}));
  client->Disconnect("pve-01");
  ASSERT_TRUE(client->Run("pve-01", {"true"}));
  EXPECT_EQ(client->Counters().connects, 2u);
}

}  // namespace
}  // namespace hainfra::transport
