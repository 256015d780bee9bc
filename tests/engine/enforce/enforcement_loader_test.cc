// The `enforcement:` section through the spec loader: every bad value is a located error naming the field.
#include <gtest/gtest.h>

#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

using testing::Diagnose;

constexpr const char* kEnforcementNode = "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n";

std::vector<std::string> EnforcementProblems(const std::string& enforcement) { return Diagnose(std::string(kEnforcementNode) + enforcement); }

TEST(EnforcementLoader, AGoodSectionLoadsAsOneSettingsObject) {
  LoadResult r = testing::LoadYaml(std::string(kEnforcementNode) + R"(enforcement:
  mode: warn
  overrides:
    - { kind: vm, tags: [k8s], mode: correct }
    - { address: "vm/web-*", mode: correct }
  ignore:
    - { kind: vm, tags: [k8s], fields: [memory, "nets[*].macaddr", "disks[scsi0].size"] }
    - { kind: network, fields: [comments] }
  windows:
    - { name: office, allow: "Mon..Fri *-*-* 08:00..18:00", timezone: Europe/Berlin }
    - { name: freeze, deny: "*-12-24..31" }
  limits: { max_objects: 10, destructive: never, node_level: require_all_online }
)");
  EXPECT_EQ(testing::Lines(r.diagnostics), std::vector<std::string>{});
  ASSERT_NE(r.spec.Find(Address{"enforcement", "enforcement"}), nullptr);
  EXPECT_EQ(r.spec.objects.size(), 2u);
}

TEST(EnforcementLoader, BadModesAndLimitsAreTypeErrors) {
  std::vector<std::string> lines = EnforcementProblems("enforcement:\n  mode: fix\n  limits: { max_objects: 0, destructive: always }\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("4:9: error:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("fix"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("5:26: error:"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("always"), std::string::npos) << lines[2];
}

TEST(EnforcementLoader, UnknownKindsAreRefusedWithAHint) {
  EXPECT_EQ(EnforcementProblems("enforcement:\n  overrides:\n    - { kind: vn, mode: warn }\n"),
            (std::vector<std::string>{"5:9: error: enforcement.overrides[0].kind: unknown kind `vn` — did you mean `vm`?"}));
}

TEST(EnforcementLoader, ASelectorMustSelectSomething) {
  EXPECT_EQ(EnforcementProblems("enforcement:\n  overrides:\n    - { mode: warn }\n"),
            (std::vector<std::string>{"5:7: error: enforcement.overrides[0]: selects nothing: give a kind, name, address or tags"}));
  EXPECT_EQ(EnforcementProblems("enforcement:\n  overrides:\n    - { address: web-01, mode: warn }\n"),
            (std::vector<std::string>{"5:9: error: enforcement.overrides[0].address: `web-01` is not an address glob "
                                      "KIND/NAME (e.g. vm/web-*)"}));
}

TEST(EnforcementLoader, IgnoredFieldPathsAreCheckedAgainstTheKind) {
  EXPECT_EQ(EnforcementProblems("enforcement:\n  ignore:\n    - { kind: vm, fields: [memroy, \"nets[*].macaddr\", \"nets[*\"] }\n"),
            (std::vector<std::string>{
                "5:28: error: enforcement.ignore[0].fields[0]: vm field path `memroy`: unknown field `memroy` — did you "
                "mean `memory`?",
                "5:55: error: enforcement.ignore[0].fields[2]: bad field path `nets[*`: `[` without `]`"}));
  EXPECT_EQ(EnforcementProblems("enforcement:\n  ignore:\n    - { kind: vm, fields: [] }\n"),
            (std::vector<std::string>{"5:19: error: enforcement.ignore[0].fields: name at least one field path (e.g. memory)"}));
}

TEST(EnforcementLoader, BadCalendarsNameTheOffendingToken) {
  EXPECT_EQ(EnforcementProblems("enforcement:\n  windows:\n    - { name: office, allow: \"Mon..Fro 08:00..18:00\" }\n"),
            (std::vector<std::string>{"5:23: error: enforcement.windows[0].allow: bad calendar `Mon..Fro 08:00..18:00`: "
                                      "unknown weekday `Fro` in `Mon..Fro` (Mon, Tue, ... Sun)"}));
}

TEST(EnforcementLoader, AWindowNeedsExactlyOneOfAllowAndDenyAndAKnownZone) {
  std::vector<std::string> lines = EnforcementProblems(
      "enforcement:\n  windows:\n"
      "    - { name: a, allow: \"Mon\", deny: \"Tue\" }\n"
      "    - { name: b }\n"
      "    - { name: c, allow: \"Mon\", timezone: Europe/Berlim }\n"
      "    - { name: c, deny: \"Sun\" }\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "5:7: error: enforcement.windows[0]: window `a`: write exactly one of `allow: CALENDAR` and "
                      "`deny: CALENDAR`");
  EXPECT_EQ(lines[1].substr(0, 5), "6:7: ");
  EXPECT_EQ(lines[2].rfind("7:32: error: enforcement.windows[2].timezone: unknown time zone `Europe/Berlim`", 0), 0u)
      << lines[2];
  EXPECT_EQ(lines[3], "8:9: error: enforcement.windows[3].name: window `c` is named twice");
}

}  // namespace
}  // namespace hainfra::spec
