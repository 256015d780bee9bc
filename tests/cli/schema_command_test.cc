#include "cli/schema_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/spec/json_schema.h"

namespace hainfra::cli {
namespace {

TEST(Schema, PrintsTheGeneratedJsonSchema) {
  std::ostringstream out;
  EXPECT_EQ(RunSchema({}, out), 0);
  EXPECT_EQ(out.str(), spec::JsonSchemaText());
  EXPECT_EQ(Value::parse(out.str())["$schema"], "http://json-schema.org/draft-07/schema#");
}

TEST(Schema, MarkdownPrintsOneTablePerSection) {
  std::ostringstream out;
  EXPECT_EQ(RunSchema({.markdown = true}, out), 0);
  const std::string text = out.str();
  EXPECT_NE(text.find("### `vms` — vm/<vmid>"), std::string::npos);
  EXPECT_NE(text.find("### `ha.rules` — ha_rule/<name>"), std::string::npos);
  EXPECT_NE(text.find("| `disks[].size` | size | yes | ≥ 1 |  | disk size (disks grow, never shrink) |"),
            std::string::npos);
  EXPECT_NE(text.find("| `cores` | integer |  | ≥ 1 | reboot | cores per socket |"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::cli
