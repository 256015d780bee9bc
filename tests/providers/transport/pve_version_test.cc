#include "providers/transport/pve_version.h"

#include <gtest/gtest.h>

#include <fstream>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"

namespace hainfra::transport {
namespace {

TEST(PveVersion, ParsesTheCapturedAnswers) {
  const std::string dir = std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/";
  struct Case {
    const char* file;
    int major, minor;
  };
  for (Case c : {Case{"api-version-pve8.4.json", 8, 4}, Case{"api-version-pve7.2.json", 7, 2}}) {
    std::ifstream in(dir + c.file);
    if (!in) GTEST_SKIP() << "shared fixtures not found under " << dir << " (HAINFRA_SHARED_DIR)";
    Value doc = Value::parse(in, nullptr, false);
    auto version = ParsePveVersion(doc["data"]);
    ASSERT_TRUE(version) << c.file << ": " << version.error().ToString();
    EXPECT_EQ(version->major, c.major) << c.file;
    EXPECT_EQ(version->minor, c.minor) << c.file;
  }
}

TEST(PveVersion, RefusesAnswersWithoutAVersion) {
  EXPECT_FALSE(ParsePveVersion(Value()));
  EXPECT_FALSE(ParsePveVersion({{"release", "9.1"}}));
  EXPECT_FALSE(ParsePveVersion({{"version", "nine"}}));
}

TEST(PveVersion, IsFetchedFromTheApi) {
  testing::ApiTestHarness h;
  h.server.SetHandler([](const testing::RecordedRequest&, httplib::Response& res) {
    testing::HttpsTestServer::Reply(res, 200, testing::Envelope({{"version", "9.1.1"}, {"release", "9.1"}}));
  });
  auto client = h.Client();
  auto version = FetchPveVersion(*client);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(version->major, 9);
  EXPECT_EQ(version->text, "9.1.1");
}

}  // namespace
}  // namespace hainfra::transport
