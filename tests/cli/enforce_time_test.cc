#include "cli/enforce_time.h"

#include <gtest/gtest.h>

namespace hainfra::cli {
namespace {

TEST(EnforceTime, DurationsReadAsAnAdministratorWritesThem) {
  EXPECT_EQ(ParseDuration("30s").value().count(), 30);
  EXPECT_EQ(ParseDuration("15m").value().count(), 900);
  EXPECT_EQ(ParseDuration("1h").value().count(), 3600);
  EXPECT_EQ(ParseDuration("1h30m").value().count(), 5400);
  EXPECT_EQ(ParseDuration("2d").value().count(), 172800);
  EXPECT_EQ(ParseDuration("90").value().count(), 90);
}

TEST(EnforceTime, BadDurationsAreRefusedSayingWhy) {
  EXPECT_NE(ParseDuration("").error().message.find("30s, 15m"), std::string::npos);
  EXPECT_NE(ParseDuration("15x").error().message.find("unknown unit 'x'"), std::string::npos);
  EXPECT_NE(ParseDuration("1h30").error().message.find("no unit"), std::string::npos);
  EXPECT_NE(ParseDuration("0s").error().message.find("longer than zero"), std::string::npos);
  EXPECT_FALSE(ParseDuration("m").has_value());
}

TEST(EnforceTime, Rfc3339WithZoneOffsetsIsUnixTime) {
  EXPECT_EQ(ParseRfc3339("2023-11-14T22:13:20Z").value(), 1700000000);
  EXPECT_EQ(ParseRfc3339("2023-11-14T23:13:20+01:00").value(), 1700000000);
  EXPECT_EQ(ParseRfc3339("2023-11-14T22:13:20.5Z").value(), 1700000000);
  EXPECT_FALSE(ParseRfc3339("2023-11-14 22:13").has_value());
  EXPECT_FALSE(ParseRfc3339("2023-13-14T22:13:20Z").has_value());
  EXPECT_EQ(FormatRfc3339(1700000000), "2023-11-14T22:13:20Z");
}

TEST(EnforceTime, UntilTakesADurationFromNowOrAFutureTime) {
  EXPECT_EQ(ParseUntil("2h", 1000).value(), 8200);
  EXPECT_EQ(ParseUntil("2023-11-14T22:13:20Z", 1).value(), 1700000000);
  EXPECT_NE(ParseUntil("2023-11-14T22:13:20Z", 1800000000).error().message.find("in the past"), std::string::npos);
  EXPECT_NE(ParseUntil("tomorrow", 0).error().message.find("--until"), std::string::npos);
}

TEST(EnforceTime, DurationsAreShownInTheShortestExactForm) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(900)), "15m");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(9000)), "2h30m");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(45)), "45s");
}

}  // namespace
}  // namespace hainfra::cli
