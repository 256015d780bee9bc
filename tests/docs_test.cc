// docs/spec.md carries the field reference generated from the field tables; it must not fall behind them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/spec/field_docs.h"
#include "tests/testing/spec_testing.h"

namespace hainfra {
namespace {

TEST(SpecDoc, FieldReferenceMatchesTheFieldTables) {
  std::ifstream in(testing::SourcePath("docs/spec.md"));
  ASSERT_TRUE(in) << "docs/spec.md is missing";
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- BEGIN GENERATED FIELD REFERENCE -->\n";
  const std::string end = "<!-- END GENERATED FIELD REFERENCE -->";
  const size_t from = doc.find(begin);
  const size_t to = doc.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_TRUE(doc.substr(from + begin.size(), to - from - begin.size()) == spec::FieldReferenceMarkdown())
      << "docs/spec.md's field reference is out of date: run docs/update-field-reference.sh build/dev";
}

TEST(SpecDoc, DescribesEveryKind) {
  std::ifstream in(testing::SourcePath("docs/spec.md"));
  std::ostringstream text;
  text << in.rdbuf();
  for (const char* heading : {"### `cluster`", "### `node`", "### `vlan`", "### `ceph_pool`", "### `storage`",
                              "### `image`", "### `vm`", "### `ha_resource`", "### `ha_rule`", "### `ha_group`", "### `backup_job`",
                              "### `baseline`", "### `datacenter`", "### `pool`", "### `access_group`", "### `access_role`",
                              "### `firewall`",
                              "### `replication`", "### `notification_*`", "### `metric_server`",
                              "### `pci_mapping`", "### `node_settings`", "### `acme_plugin`"}) {
    EXPECT_NE(text.str().find(heading), std::string::npos) << heading;
  }
}

}  // namespace
}  // namespace hainfra
