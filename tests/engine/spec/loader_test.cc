#include "engine/spec/loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

using testing::Diagnose;
using testing::Lines;
using testing::LoadYaml;

constexpr const char* kSmallSpec = R"(nodes:
  - { name: pve-01, address: 10.0.0.11 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
vms:
  - vmid: 100
    name: web
    node: pve-01
    cores: 2
    numa: true
    cpu: host
    disks:
      - { slot: scsi0, storage: local-lvm, size: 32G }
      - { slot: scsi1, storage: local-lvm, size: 1073741824 }
    ha: { state: started, max_restart: 2 }
  - { vmid: 101, node: pve-01, state: absent }
)";

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("hainfra-loader-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(LoadSpec, ValidSpecHasNoDiagnostics) {
  const LoadResult result = LoadYaml(kSmallSpec);
  EXPECT_EQ(Lines(result.diagnostics), std::vector<std::string>{});
  EXPECT_EQ(result.spec.files, std::vector<std::string>{"spec.yaml"});
}

TEST(LoadSpec, BodiesKeepTheTypesTheUserWrote) {
  const LoadResult result = LoadYaml(kSmallSpec);
  const Resource* vm = result.spec.Find(Address{"vm", "100"});
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->body["vmid"], 100);
  EXPECT_TRUE(vm->body["vmid"].is_number_integer());
  EXPECT_EQ(vm->body["cores"], 2);
  EXPECT_EQ(vm->body["numa"], true);
  EXPECT_EQ(vm->body["cpu"], "host");
  EXPECT_EQ(vm->body["disks"][0]["size"], "32G");  // sizes kept as written
  EXPECT_EQ(vm->body["disks"][1]["size"], 1073741824);
  EXPECT_FALSE(vm->absent);
}

TEST(LoadSpec, StateAbsentMarksTheResource) {
  const LoadResult result = LoadYaml(kSmallSpec);
  const Resource* vm = result.spec.Find(Address{"vm", "101"});
  ASSERT_NE(vm, nullptr);
  EXPECT_TRUE(vm->absent);
}

TEST(LoadSpec, LocationsPointAtEveryField) {
  const LoadResult result = LoadYaml(kSmallSpec);
  const Resource* vm = result.spec.Find(Address{"vm", "100"});
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->where.ToString(), "spec.yaml:6:5");
  EXPECT_EQ(vm->LocationOf("/cores").ToString(), "spec.yaml:9:5");
  EXPECT_EQ(vm->LocationOf("/disks").ToString(), "spec.yaml:12:5");
  EXPECT_EQ(vm->LocationOf("/disks/1").ToString(), "spec.yaml:14:9");
  EXPECT_EQ(vm->LocationOf("/disks/1/size").ToString(), "spec.yaml:14:44");
  EXPECT_EQ(vm->LocationOf("/nothing/here").ToString(), "spec.yaml:6:5");  // falls back to the object
}

TEST(LoadSpec, HaShorthandBecomesAnHaResource) {
  const LoadResult result = LoadYaml(kSmallSpec);
  const Resource* vm = result.spec.Find(Address{"vm", "100"});
  const Resource* ha = result.spec.Find(Address{"ha_resource", "vm:100"});
  ASSERT_NE(vm, nullptr);
  ASSERT_NE(ha, nullptr);
  EXPECT_FALSE(vm->body.contains("ha"));
  EXPECT_EQ(ha->body, (Value{{"sid", "vm:100"}, {"state", "started"}, {"max_restart", 2}}));
  EXPECT_EQ(ha->where.ToString(), "spec.yaml:15:5");
  EXPECT_EQ(ha->LocationOf("/max_restart").ToString(), "spec.yaml:15:27");
  // Placed right after its VM, so the spec stays in file order.
  const auto& objects = result.spec.objects;
  auto vm_it = std::find_if(objects.begin(), objects.end(), [](const Resource& r) { return r.address.name == "100"; });
  ASSERT_NE(vm_it + 1, objects.end());
  EXPECT_EQ((vm_it + 1)->address.ToString(), "ha_resource/vm:100");
}

TEST(LoadSpec, SingletonClusterIsAddressedByItsName) {
  const LoadResult result = LoadYaml("cluster: { name: lab }\n");
  ASSERT_EQ(result.spec.objects.size(), 1u);
  EXPECT_EQ(result.spec.objects[0].address.ToString(), "cluster/lab");
}

TEST(LoadSpec, AnchorsAliasesAndMergeKeysAreExpanded) {
  const LoadResult result = LoadYaml(R"(nodes:
  - { name: pve-01, address: 10.0.0.11 }
vms:
  - &base
    vmid: 100
    node: pve-01
    cores: 4
    tags: &tags [web]
  - <<: *base
    vmid: 101
    cores: 8
    tags: *tags
)");
  EXPECT_EQ(Lines(result.diagnostics), std::vector<std::string>{});
  const Resource* vm = result.spec.Find(Address{"vm", "101"});
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->body["cores"], 8);      // explicit keys win over merged ones
  EXPECT_EQ(vm->body["node"], "pve-01");  // merged
  EXPECT_EQ(vm->body["tags"], Value::array({"web"}));
  EXPECT_EQ(vm->LocationOf("/node").ToString(), "spec.yaml:6:5");  // where the merged key was written
}

TEST(LoadSpec, EmptySectionsAreAllowed) {
  EXPECT_EQ(Diagnose("nodes:\n  - { name: pve-01, address: 10.0.0.11 }\nvms:\nha:\n"), std::vector<std::string>{});
}

TEST(LoadSpec, HashIgnoresLayoutAndOrder) {
  const LoadResult a = LoadYaml("nodes:\n  - { name: a1, address: 10.0.0.1 }\n  - { name: b1, address: 10.0.0.2 }\n");
  const LoadResult b = LoadYaml(
      "# same nodes, other order and style\nnodes:\n  - name: b1\n    address: 10.0.0.2\n"
      "  - address: 10.0.0.1\n    name: a1\n");
  const LoadResult c = LoadYaml("nodes:\n  - { name: a1, address: 10.0.0.1 }\n  - { name: b1, address: 10.0.0.3 }\n");
  EXPECT_EQ(a.spec.hash.size(), 64u);
  EXPECT_EQ(a.spec.hash, b.spec.hash);
  EXPECT_NE(a.spec.hash, c.spec.hash);
}

TEST(LoadSpec, DirectoryFilesAreMergedInPathOrder) {
  TempDir dir;
  dir.Write("20-vms.yaml", "vms:\n  - { vmid: 100, node: pve-01 }\n");
  dir.Write("10-nodes.yml", "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n");
  dir.Write("sub/30-more.yaml", "vms:\n  - { vmid: 101, node: pve-01 }\n");
  dir.Write("README.md", "not a spec\n");
  dir.Write(".hidden/x.yaml", "this: is: not: valid\n");
  const LoadResult result = LoadSpec({dir.path()});
  EXPECT_EQ(Lines(result.diagnostics), std::vector<std::string>{});
  ASSERT_EQ(result.spec.files.size(), 3u);
  EXPECT_EQ(result.spec.files[0], dir.path() + "/10-nodes.yml");
  EXPECT_EQ(result.spec.files[2], dir.path() + "/sub/30-more.yaml");
  ASSERT_EQ(result.spec.objects.size(), 3u);
  EXPECT_NE(result.spec.Find(Address{"vm", "101"}), nullptr);
}

TEST(LoadSpec, DuplicatesAcrossFilesNameTheFirst) {
  TempDir dir;
  const std::string a = dir.Write("a.yaml", "cluster: { name: lab }\nnodes:\n  - { name: pve-01, address: 10.0.0.11 }\n");
  const std::string b = dir.Write("b.yaml", "cluster: { name: lab2 }\nnodes:\n  - { name: pve-01, address: 10.0.0.12 }\n");
  const LoadResult result = LoadSpec({dir.path()});
  EXPECT_EQ(Lines(result.diagnostics),
            (std::vector<std::string>{b + ":1:10: error: cluster is declared twice (first at " + a + ":1:10)",
                                      b + ":3:5: error: duplicate node/pve-01 (first declared at " + a + ":3:5)"}));
}

TEST(LoadSpec, DiagnosticsComeInFileOrder) {
  TempDir dir;
  const std::string a = dir.Write("a.yaml", "vms:\n  - { vmid: 100, node: nowhere }\n");
  const std::string b = dir.Write("b.yaml", "nodes:\n  - { name: pve-01, address: 10.0.0.11, bogus: 1 }\n");
  const LoadResult result = LoadSpec({b, a});  // b first: its problems come first
  EXPECT_EQ(Lines(result.diagnostics),
            (std::vector<std::string>{b + ":2:41: error: nodes[0]: unknown key `bogus`",
                                      a + ":2:18: error: vm/100: uses node `nowhere`, which is not declared"}));
}

TEST(LoadSpec, MissingPathAndEmptyDirectoryAreErrors) {
  TempDir dir;
  dir.Write("notes.txt", "x\n");
  const LoadResult result = LoadSpec({dir.path() + "/missing.yaml", dir.path()});
  EXPECT_EQ(Lines(result.diagnostics),
            (std::vector<std::string>{dir.path() + "/missing.yaml: error: no such file or directory",
                                      dir.path() + ": error: the directory holds no *.yaml or *.yml file"}));
}

TEST(LoadSpec, TheSameFileTwiceIsReadOnce) {
  TempDir dir;
  const std::string a = dir.Write("a.yaml", "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n");
  const LoadResult result = LoadSpec({a, dir.path()});
  EXPECT_EQ(Lines(result.diagnostics), std::vector<std::string>{});
  EXPECT_EQ(result.spec.objects.size(), 1u);
}

TEST(LoadSpec, CrlfLineEndingsAndByteOrderMarkAreFine) {
  EXPECT_EQ(Diagnose("\xEF\xBB\xBFnodes:\r\n  - { name: pve-01, address: 10.0.0.11 }\r\n"), std::vector<std::string>{});
}

TEST(LoadSpec, OldMacLineEndingsCountAsLines) {
  EXPECT_EQ(Diagnose("nodes:\r  - { name: pve_01, address: 10.0.0.11 }\r"),
            std::vector<std::string>{
                "2:13: error: nodes[0].name: `pve_01` is not a node name: letters, digits and inner '-' (e.g. pve-01)"});
  EXPECT_EQ(Diagnose("nodes:\r\n\t- x\r\n"),
            std::vector<std::string>{"2:1: error: tab character in indentation: YAML indents with spaces only"});
}

TEST(LoadSpec, MessagesStayCleanUtf8WhateverTheEscapes) {
  // Escapes can put control characters into keys; messages show them escaped.
  EXPECT_EQ(Diagnose("\"no\\x01des\\0\": 1\n"),
            std::vector<std::string>{"1:1: error: unknown section `no\\x01des\\x00` — did you mean `nodes`?"});
  // Lone surrogates never get that far: the YAML parser refuses them.
  EXPECT_EQ(Diagnose("\"\\uD800\": 1\n"),
            std::vector<std::string>{"1:4: error: YAML syntax error: found invalid Unicode character escape code (while "
                                     "parsing a quoted scalar that started at line 1)"});
}

TEST(LoadSpec, OfKindAndFindUseTheIndex) {
  const LoadResult result = LoadYaml(kSmallSpec);
  EXPECT_EQ(result.spec.OfKind("vm").size(), 2u);
  EXPECT_EQ(result.spec.index.size(), result.spec.objects.size());
  EXPECT_EQ(result.spec.Find(Address{"vm", "999"}), nullptr);
}

}  // namespace
}  // namespace hainfra::spec
