// docs/privileges.md carries the role of hainfra's token kind by kind, generated from the table that
// `hainfra bootstrap-token` grants: it must not fall behind it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/access/kind_privileges.h"
#include "tests/testing/spec_testing.h"

namespace hainfra {
namespace {

TEST(PrivilegesDoc, KindTableMatchesWhatBootstrapTokenGrants) {
  std::ifstream in(testing::SourcePath("docs/privileges.md"));
  ASSERT_TRUE(in) << "docs/privileges.md is missing";
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- BEGIN GENERATED KIND PRIVILEGES -->\n";
  const std::string end = "<!-- END GENERATED KIND PRIVILEGES -->";
  const size_t from = doc.find(begin);
  const size_t to = doc.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), providers::PrivilegesMarkdown())
      << "docs/privileges.md's kind table is out of date: paste providers::PrivilegesMarkdown()";
}

TEST(PrivilegesDoc, ThePveumCommandForEveryKindGrantsExactlyTheFullRole) {
  std::ifstream in(testing::SourcePath("docs/privileges.md"));
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string head = "pveum role add Hainfra -privs \"";
  const size_t from = doc.find(head);
  ASSERT_NE(from, std::string::npos);
  const size_t to = doc.find('"', from + head.size());
  std::istringstream words(doc.substr(from + head.size(), to - from - head.size()));
  std::set<std::string> documented;
  for (std::string w; words >> w;) {
    if (w != "\\") documented.insert(w);
  }
  std::set<std::string> all_kinds;
  for (const auto& k : providers::PrivilegesByKind()) all_kinds.insert(std::string(k.kind));
  EXPECT_EQ(documented, providers::RequiredPrivileges(all_kinds));
}

}  // namespace
}  // namespace hainfra
