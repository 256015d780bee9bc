#include "providers/transport/upid.h"

#include <gtest/gtest.h>

#include <fstream>

#include "hainfra/value.h"

namespace hainfra::transport {
namespace {

TEST(Upid, ParsesEveryField) {
  auto upid = ParseUpid("UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:hainfra@pve!ci:");
  ASSERT_TRUE(upid) << upid.error().ToString();
  EXPECT_EQ(upid->node, "pve-01");
  EXPECT_EQ(upid->pid, 0x0012ABCDu);
  EXPECT_EQ(upid->pstart, 0x01A2B3C4u);
  EXPECT_EQ(upid->starttime, 0x65F0A1B2);
  EXPECT_EQ(upid->type, "qmcreate");
  EXPECT_EQ(upid->id, "100");
  EXPECT_EQ(upid->user, "hainfra@pve!ci");
}

TEST(Upid, AcceptsAnEmptyIdAndANineDigitPstart) {
  auto upid = ParseUpid("UPID:node1:000FF1FD:110F9374C:630D702C:aptupdate::root@pam:");
  ASSERT_TRUE(upid) << upid.error().ToString();
  EXPECT_EQ(upid->id, "");
  EXPECT_EQ(upid->pstart, 0x110F9374Cu);
}

TEST(Upid, RefusesWhatPveCommonRefuses) {
  for (const char* bad : {
           "", "UPID", "UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam",  // no trailing colon
           "UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:extra",
           "UPID:-pve:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:",  // node must start alphanumeric
           "UPID:pve_01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:",
           "UPID:pve-01:12ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:",  // pid is 8 hex digits
           "UPID:pve-01:0012ABCG:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:",
           "UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2::100:root@pam:",  // type required
           "UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qm create:100:root@pam:",
           "UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100::",  // user required
           "TASK:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:",
       }) {
    auto upid = ParseUpid(bad);
    EXPECT_FALSE(upid) << bad;
    if (!upid) {
      EXPECT_EQ(upid.error().code, Code::kInvalidArgument);
    }
  }
}

TEST(Upid, ParsesEveryUpidOfTheCapturedTaskLists) {
  const std::string dir = std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/";
  int parsed = 0;
  for (const char* name : {"api-nodes-node-tasks-pve8.json", "api-nodes-node-tasks-pve7.json"}) {
    std::ifstream in(dir + name);
    if (!in) GTEST_SKIP() << "shared fixtures not found under " << dir << " (HAINFRA_SHARED_DIR)";
    Value doc = Value::parse(in, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << name;
    const Value& tasks = doc.is_object() ? doc["data"] : doc;
    for (const Value& task : tasks) {
      auto upid = ParseUpid(task["upid"].get<std::string>());
      ASSERT_TRUE(upid) << name << ": " << upid.error().message;
      EXPECT_EQ(upid->node, task["node"].get<std::string>());
      EXPECT_EQ(upid->type, task["type"].get<std::string>());
      EXPECT_EQ(upid->user, task["user"].get<std::string>());
      ++parsed;
    }
  }
  EXPECT_GT(parsed, 10);
}

}  // namespace
}  // namespace hainfra::transport
