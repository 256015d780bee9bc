#include "providers/kinds/section_objects.h"

#include <gtest/gtest.h>

#include "engine/spec/loader.h"

namespace hainfra::providers {
namespace {

TEST(SectionObjects, AreTheSpecObjectsOfOneKindInFileOrder) {
  auto loaded = spec::LoadSpecText(R"(
nodes:
  - { name: pve-01, address: 10.0.0.11 }
storage:
  - { id: b-store, type: dir, path: /srv/b, content: [images] }
  - { id: a-store, type: dir, path: /srv/a, content: [images] }
)", "spec.yaml");
  ASSERT_FALSE(HasErrors(loaded.diagnostics)) << loaded.diagnostics.front().ToString();
  std::vector<Resource> storages = SectionObjects(loaded.spec, "storage");
  ASSERT_EQ(storages.size(), 2u);
  EXPECT_EQ(storages[0].address.ToString(), "storage/b-store");
  EXPECT_EQ(storages[1].address.ToString(), "storage/a-store");
  EXPECT_EQ(storages[0].body["path"], "/srv/b");
}

TEST(SectionBody, IsTheSectionsFieldSpec) {
  FieldSpec vm = SectionBody("vm");
  EXPECT_EQ(vm.type, FieldType::kObject);
  const FieldSpec* disks = FindField(vm, "disks");
  ASSERT_NE(disks, nullptr);
  EXPECT_EQ(disks->key, "slot");
  EXPECT_TRUE(SectionBody("no-such-kind").fields.empty());
}

}  // namespace
}  // namespace hainfra::providers
