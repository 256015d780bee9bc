#include "engine/spec/yaml_reader.h"

#include <gtest/gtest.h>

#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

using testing::Lines;

TEST(ReadYaml, KeepsQuotingAndPositions) {
  const YamlDocument doc = ReadYaml("a: 20\nb: \"20\"\nc: |\n  text\n", "f.yaml");
  ASSERT_TRUE(doc.root);
  ASSERT_EQ(doc.root->entries.size(), 3u);
  EXPECT_TRUE(doc.root->entries[0].value->plain);
  EXPECT_FALSE(doc.root->entries[1].value->plain);
  EXPECT_FALSE(doc.root->entries[2].value->plain);  // block scalars are strings
  EXPECT_EQ(doc.root->entries[2].value->text, "text\n");
  EXPECT_EQ(doc.root->entries[1].key_at.line, 2);
  EXPECT_EQ(doc.root->entries[1].value->at.column, 4);
}

TEST(ReadYaml, DuplicateKeysKeepTheFirstValue) {
  const YamlDocument doc = ReadYaml("a: 1\na: 2\n", "f.yaml");
  ASSERT_TRUE(doc.root);
  ASSERT_EQ(doc.root->entries.size(), 1u);
  EXPECT_EQ(doc.root->entries[0].value->text, "1");
  EXPECT_EQ(Lines(doc.diagnostics), std::vector<std::string>{"f.yaml:2:1: error: duplicate key `a` (first written at line 1)"});
}

TEST(ReadYaml, MergeKeysLetEarlierSourcesWin) {
  const YamlDocument doc = ReadYaml("x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz: {<<: [*x, *y], c: 3}\n", "f.yaml");
  ASSERT_TRUE(doc.root);
  const YamlNode& z = *doc.root->entries[2].value;
  std::map<std::string, std::string> values;
  for (const YamlEntry& e : z.entries) values[e.key] = e.value->text;
  EXPECT_EQ(values, (std::map<std::string, std::string>{{"a", "1"}, {"b", "1"}, {"c", "3"}}));
}

TEST(ReadYaml, AliasBombIsRefusedNotExpanded) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  const YamlDocument doc = ReadYaml(text, "f.yaml");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_NE(doc.diagnostics[0].message.find("expands to more than"), std::string::npos);
  EXPECT_FALSE(doc.root);
}

TEST(ReadYaml, ControlCharactersAreRefused) {
  const YamlDocument doc = ReadYaml("a: b\x01\n", "f.yaml");
  EXPECT_EQ(Lines(doc.diagnostics),
            std::vector<std::string>{"f.yaml:1:5: error: control character 0x01 is not allowed in a spec file"});
}

TEST(ReadYaml, OverlongUtf8IsRefused) {
  const YamlDocument doc = ReadYaml("a: \xC0\xAF\n", "f.yaml");
  EXPECT_EQ(Lines(doc.diagnostics),
            std::vector<std::string>{"f.yaml:1:4: error: invalid UTF-8 byte 0xC0: spec files must be UTF-8 text"});
}

TEST(ReadYaml, ValidUtf8PassesThrough) {
  const YamlDocument doc = ReadYaml("comment: \"Grüße — ☃\"\n", "f.yaml");
  EXPECT_TRUE(doc.diagnostics.empty());
  ASSERT_TRUE(doc.root);
  EXPECT_EQ(doc.root->entries[0].value->text, "Grüße — ☃");
}

TEST(ReadYaml, TabsAfterContentAreFine) {
  const YamlDocument doc = ReadYaml("a: [1,\t2]  # tab\tin a comment\n", "f.yaml");
  EXPECT_TRUE(doc.diagnostics.empty());
}

TEST(ReadYaml, EmptyTextHasNoRoot) {
  const YamlDocument doc = ReadYaml("# nothing\n\n", "f.yaml");
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_FALSE(doc.root);
}

TEST(ReadYaml, ComplexKeysAreRefused) {
  const YamlDocument doc = ReadYaml("? [a, b]\n: 1\n", "f.yaml");
  EXPECT_EQ(Lines(doc.diagnostics),
            std::vector<std::string>{"f.yaml:1:3: error: a map key must be plain text, not a list or map"});
}

}  // namespace
}  // namespace hainfra::spec
