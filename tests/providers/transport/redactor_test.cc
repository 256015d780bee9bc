#include "providers/transport/redactor.h"

#include <gtest/gtest.h>

namespace hainfra::transport {
namespace {

TEST(Redactor, ReplacesEveryOccurrence) {
  Redactor r;
  r.Add("s3cr3t-value");
  EXPECT_EQ(r.Scrub("a s3cr3t-value b s3cr3t-value"), "a [redacted] b [redacted]");
}

TEST(Redactor, LongerSecretsWinOverTheirParts) {
  Redactor r;
  r.Add("abcd");
  r.Add("abcdefgh");
  EXPECT_EQ(r.Scrub("xabcdefghx abcd"), "x[redacted]x [redacted]");
}

TEST(Redactor, IgnoresEmptyAndTinySecrets) {
  Redactor r;
  r.Add("");
  r.Add("ab");
  EXPECT_EQ(r.Scrub("ab cd"), "ab cd");
}

}  // namespace
}  // namespace hainfra::transport
