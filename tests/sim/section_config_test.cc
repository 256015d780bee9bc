#include "sim/pvesim/section_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/pvesim/storage_config.h"

namespace pvesim {
namespace {

TEST(SectionConfig, ParsesTypedValuesAndBareFlags) {
  SectionSchema schema;
  schema.types["node-affinity"] = {{"resources", {"string", true}}, {"nodes", {"string", true}},
                                   {"strict", {"boolean", false}}, {"disable", {"boolean", false}}};
  auto f = ParseSectionConfig(
      "# comment\nnode-affinity: r1\n\tresources vm:101\n\tnodes node1\n\tdisable\n\tstrict 1\n\n", schema);
  ASSERT_EQ(f.sections.size(), 1u);
  EXPECT_EQ(f.sections[0].type, "node-affinity");
  EXPECT_EQ(f.sections[0].id, "r1");
  EXPECT_EQ(f.sections[0].values["disable"], 1);
  EXPECT_EQ(f.sections[0].values["strict"], 1);
  EXPECT_EQ(WriteSectionConfig(f, schema),
            "node-affinity: r1\n\tdisable\n\tnodes node1\n\tresources vm:101\n\tstrict 1\n\n");
}

TEST(SectionConfig, StorageFixtureRoundTripsByteForByte) {
  std::string file = std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/cfg-storage-pve9.cfg";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "fixture not available at " << file;
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto f = ParseSectionConfig(ss.str(), StorageSchema());
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[1].values["thinpool"], "data");
  // The fixture ends without the trailing blank line SectionConfig writes after the last section.
  EXPECT_EQ(WriteSectionConfig(f, StorageSchema()), ss.str() + "\n");
}

}  // namespace
}  // namespace pvesim
