#include "schemas/sections.h"

namespace hainfra::schemas {

const std::vector<SectionSpec>& Sections() {
  // The explicit list: adding a section adds one line here and one schemas/<kind>_fields.cc.
  static const std::vector<SectionSpec> sections = {
      ClusterSection(),  NodeSection(),       VlanSection(),       CephPoolSection(),
      StorageSection(),  VmSection(),         CtSection(),         HaGroupSection(),    HaRuleSection(),
      HaResourceSection(), BackupJobSection(), BaselineSection(),
  };
  return sections;
}

const SectionSpec* FindSection(std::string_view kind) {
  for (const SectionSpec& s : Sections()) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

}  // namespace hainfra::schemas
