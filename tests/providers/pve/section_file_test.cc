// PVE::SectionConfig files as the bulk observe reads them (ha/*.cfg, storage.cfg, ...): headers, indented
// options up to a blank line, comments, bare booleans, and the API's typing of the values.
#include "providers/pve/section_file.h"

#include <gtest/gtest.h>

namespace hainfra::pve {
namespace {

TEST(SectionFile, ReadsHeadersAndIndentedOptionsUpToABlankLine) {
  const std::string text =
      "# a comment before\nvm: 100\n\tstate started\n\tmax_restart 3\n    comment two  words \n\n"
      "ct:101\n\t# a comment inside\n\tfailback\n\nnot a header line\n\tignored value\n\n"
      "group: web\n\tnodes pve-01:2,pve-02\n\trestricted 1\n\tcomment first\n\tcomment second";
  const std::vector<FileSection> sections = ParseSectionFile(text);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].type, "vm");
  EXPECT_EQ(sections[0].id, "100");
  ASSERT_EQ(sections[0].options.size(), 3u);
  EXPECT_EQ(sections[0].options[2].first, "comment");
  EXPECT_EQ(sections[0].options[2].second, "two  words");
  EXPECT_EQ(sections[1].type, "ct");
  EXPECT_EQ(sections[1].id, "101");
  ASSERT_EQ(sections[1].options.size(), 1u);
  EXPECT_FALSE(sections[1].options[0].second.has_value()) << "a bare key";
  EXPECT_EQ(sections[2].id, "web");
}

TEST(SectionFile, ALineThatIsNoHeaderOrOptionIsSkippedAsProxmoxSkipsIt) {
  EXPECT_TRUE(ParseSectionFile("").empty());
  EXPECT_TRUE(ParseSectionFile("vm: 100 extra\n\tstate started\n").empty());
  EXPECT_TRUE(ParseSectionFile(" vm: 100\n").empty());
  const std::vector<FileSection> sections = ParseSectionFile("vm: 100\nstate started\n\tmax_restart 2\n");
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].options.size(), 1u) << "an unindented line inside a section is no option";
  EXPECT_EQ(sections[0].options[0].first, "max_restart");
}

TEST(SectionFile, ValuesAreTypedAsTheApiAnswersThem) {
  const std::vector<FileSection> sections =
      ParseSectionFile("vm: 100\n\tfailback\n\tnofailback no\n\tmax_restart 3\n\tmax_relocate x\n\tcomment 1\n"
                       "\tstray\n\tcomment 2\n");
  ASSERT_EQ(sections.size(), 1u);
  const Value values = SectionValues(sections[0], SectionTypes{{"failback", "nofailback"}, {"max_restart", "max_relocate"}});
  EXPECT_EQ(values, Value::parse(R"({"failback":1,"nofailback":0,"max_restart":3,"max_relocate":"x","comment":"2"})"));
}

}  // namespace
}  // namespace hainfra::pve
