#include "providers/transport/shell_quote.h"

#include <gtest/gtest.h>

#include "tests/testing/subprocess.h"

namespace hainfra::transport {
namespace {

// Strings a spec could carry that mean something to a shell.
const std::vector<std::string> kHostile = {
    "it's", "\"double\"", "a;b", "$(id)", "`id`", "a\nb", " spaced  out ", "*", "-n", "--", "", "ü ñ 日本",
    "\\", "$HOME", "a|b&c>d<e", "!x", "#comment", "~", "{a,b}", "\t", "'", "''", "\r\n", "-rf /", "${IFS}",
};

TEST(ShellQuote, WrapsInSingleQuotes) {
  EXPECT_EQ(ShellQuote("abc"), "'abc'");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

TEST(ShellQuote, CommandJoinsQuotedArguments) {
  auto command = ShellCommand({"printf", "%s\\0", "a b", "$(x)"});
  ASSERT_TRUE(command);
  EXPECT_EQ(*command, "'printf' '%s\\0' 'a b' '$(x)'");
}

TEST(ShellQuote, RefusesEmptyVectorsAndNulBytes) {
  EXPECT_FALSE(ShellCommand({}));
  auto nul = ShellCommand({"echo", std::string("a\0b", 3)});
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code, Code::kInvalidArgument);
  EXPECT_NE(nul.error().message.find("argument 1"), std::string::npos);
}

TEST(ShellQuote, HostileStringsArriveLiterallyThroughALocalShell) {
  // The same path as over SSH (a shell parses the command line), without the network.
  std::vector<std::string> argv = {"printf", "%s\\0"};
  argv.insert(argv.end(), kHostile.begin(), kHostile.end());
  auto command = ShellCommand(argv);
  ASSERT_TRUE(command);
  for (const char* shell : {"/bin/sh", "/bin/bash"}) {
    auto result = testing::RunProcess({shell, "-c", *command});
    ASSERT_EQ(result.exit_status, 0) << shell;
    std::vector<std::string> got;
    size_t start = 0;
    for (size_t nul; (nul = result.output.find('\0', start)) != std::string::npos; start = nul + 1) {
      got.push_back(result.output.substr(start, nul - start));
    }
    EXPECT_EQ(got, kHostile) << shell;
  }
}

}  // namespace
}  // namespace hainfra::transport

namespace hainfra::transport {
namespace {

TEST(ShellQuote, RemoteTimeoutWrapsTheCommandOneSecondPastTheDeadline) {
  EXPECT_EQ(WithRemoteTimeout("'sleep' '5'", std::chrono::milliseconds(800)), "timeout --kill-after=5 2 'sleep' '5'");
  EXPECT_EQ(WithRemoteTimeout("'true'", std::chrono::minutes(10)), "timeout --kill-after=5 601 'true'");
}

}  // namespace
}  // namespace hainfra::transport
