#include "providers/safety/pause_store.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace hainfra::safety {
namespace {

TEST(PauseStore, ALocalRecordIsWrittenReadAndCleared) {
  testing::TempDir dir("pause");
  auto store = MakeLocalPauseStore(dir.File("state"));
  EXPECT_FALSE(store->ClusterWide());
  EXPECT_FALSE(store->Read().value().has_value());
  PauseRecord record{"incident 42", "root@ops", 1700000000, 1700007200, ""};
  ASSERT_TRUE(store->Write(record).has_value());
  auto back = store->Read().value();
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->reason, "incident 42");
  EXPECT_EQ(back->until, 1700007200);
  ASSERT_TRUE(store->Clear().has_value());
  EXPECT_FALSE(store->Read().value().has_value());
  EXPECT_TRUE(store->Clear().has_value()) << "clearing nothing is fine";
}

TEST(PauseStore, APauseExpiresAtItsUntilAndOneWithoutNeverDoes) {
  PauseRecord until{"r", "", 100, 200, ""};
  EXPECT_TRUE(until.ActiveAt(199));
  EXPECT_FALSE(until.ActiveAt(200));
  PauseRecord forever{"r", "", 100, 0, ""};
  EXPECT_TRUE(forever.ActiveAt(1'000'000'000));
}

TEST(PauseStore, AGarbledRecordIsAnErrorNamingTheFile) {
  testing::TempDir dir("pause");
  testing::WriteText(dir.File("pause.json"), "[1,2");
  auto record = MakeLocalPauseStore(dir.path())->Read();
  ASSERT_FALSE(record.has_value());
  EXPECT_NE(record.error().message.find("pause.json"), std::string::npos) << record.error().message;
}

}  // namespace
}  // namespace hainfra::safety
