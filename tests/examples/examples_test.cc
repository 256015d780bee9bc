// The examples are documentation that runs: each is valid, without warnings, and each file names the JSON
// Schema by a relative path that really leads to schemas/hainfra.schema.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/spec/loader.h"
#include "tests/testing/spec_testing.h"

namespace hainfra {
namespace {

namespace fs = std::filesystem;

TEST(Examples, EachIsValidWithoutWarnings) {
  for (const char* example : {"examples/minimal.yaml", "examples/lab-3node", "examples/astro-5node"}) {
    const spec::LoadResult result = spec::LoadSpec({testing::SourcePath(example)});
    EXPECT_EQ(testing::Lines(result.diagnostics), std::vector<std::string>{}) << example;
    EXPECT_GT(result.spec.objects.size(), 3u) << example;
  }
}

TEST(Examples, MultiFileExamplesCoverTheKindsTheIssueAsksFor) {
  const spec::LoadResult lab = spec::LoadSpec({testing::SourcePath("examples/lab-3node")});
  EXPECT_GE(lab.spec.files.size(), 5u);
  for (const char* kind : {"cluster", "node", "vlan", "ceph_pool", "storage", "vm", "ha_rule", "ha_resource",
                           "backup_job", "baseline", "datacenter", "pool"}) {
    EXPECT_FALSE(lab.spec.OfKind(kind).empty()) << "lab-3node has no " << kind;
  }
  EXPECT_EQ(lab.spec.OfKind("node").size(), 3u);
  const spec::LoadResult astro = spec::LoadSpec({testing::SourcePath("examples/astro-5node")});
  EXPECT_EQ(astro.spec.OfKind("node").size(), 5u);
  for (const char* kind : {"datacenter", "pool"}) {
    EXPECT_FALSE(astro.spec.OfKind(kind).empty()) << "astro-5node has no " << kind;
  }
  bool negative_affinity = false;
  for (const Resource* rule : astro.spec.OfKind("ha_rule")) {
    negative_affinity = negative_affinity || rule->body.value("affinity", "") == "negative";
  }
  EXPECT_TRUE(negative_affinity) << "astro-5node keeps its Kubernetes workers apart";
}

TEST(Examples, EveryFileNamesTheSchemaByAWorkingRelativePath) {
  const std::string prefix = "# yaml-language-server: $schema=";
  const fs::path schema = fs::canonical(testing::SourcePath("schemas/hainfra.schema.json"));
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SourcePath("examples"))) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << entry.path() << " starts with: " << first;
    const fs::path target = entry.path().parent_path() / first.substr(prefix.size());
    std::error_code ec;
    EXPECT_EQ(fs::canonical(target, ec), schema) << entry.path() << ": " << target;
  }
  EXPECT_GE(files, 15);
}

}  // namespace
}  // namespace hainfra
