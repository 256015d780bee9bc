#include "engine/export/export_body.h"

#include <gtest/gtest.h>

#include "schemas/sections.h"

namespace hainfra::exporting {
namespace {

const FieldSpec& Item(const char* kind) { return schemas::FindSection(kind)->item; }

TEST(ExportBody, KeepsOnlyDeclaredFields) {
  Value observed = {{"vmid", 100}, {"name", "web"}, {"node", "pve-01"}, {"digest", "0a1b"},
                    {"smbios1", "uuid=7f0c"}, {"vmgenid", "4d2e"}, {"cores", 2}};
  Value out = ExportBody(observed, Item("vm"), "vm 100");
  EXPECT_EQ(out, (Value{{"vmid", 100}, {"name", "web"}, {"node", "pve-01"}, {"cores", 2}}));
}

TEST(ExportBody, LeavesOutTheOwnershipTag) {
  Value observed = {{"vmid", 100}, {"node", "pve-01"}, {"tags", {"hainfra", "web"}}};
  EXPECT_EQ(ExportBody(observed, Item("vm"), "vm 100")["tags"], (Value{"web"}));
}

TEST(ExportBody, WritesByteSizesInProxmoxUnits) {
  Value observed = {{"vmid", 100},
                    {"node", "pve-01"},
                    {"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", int64_t{34359738368}}}}}};
  EXPECT_EQ(ExportBody(observed, Item("vm"), "vm 100")["disks"][0]["size"], "32G");
}

TEST(ExportBody, NeverWritesASecretInClear) {
  Value observed = {{"id", "pbs-1"}, {"type", "pbs"}, {"password", "hunter2"}};
  Value out = ExportBody(observed, Item("storage"), "storage pbs-1");
  EXPECT_EQ(out["password"], "${env:HAINFRA_SECRET_STORAGE_PBS_1_PASSWORD}");
  EXPECT_EQ(out.dump().find("hunter2"), std::string::npos);
}

TEST(ExportBody, NamesNestedSecretsByTheirPath) {
  Value observed = {{"vmid", 301}, {"node", "pve-03"}, {"cloud_init", {{"user", "lab"}, {"password", "x"}}}};
  EXPECT_EQ(ExportBody(observed, Item("vm"), "vm 301")["cloud_init"]["password"],
            "${env:HAINFRA_SECRET_VM_301_CLOUD_INIT_PASSWORD}");
}

TEST(ExportBody, LeavesOutConnectionSettings) {
  Value observed = {{"name", "lab"}, {"api", {{"endpoint", "https://10.0.0.11:8006"}}}};
  EXPECT_EQ(ExportBody(observed, Item("cluster"), "cluster lab"), (Value{{"name", "lab"}}));
}

TEST(ExportBody, DropsNullsAndKeepsEmptyWholeLists) {
  Value observed = {{"vmid", 100}, {"node", "pve-01"}, {"name", nullptr}, {"nets", Value::array()}};
  EXPECT_EQ(ExportBody(observed, Item("vm"), "vm 100"),
            (Value{{"vmid", 100}, {"node", "pve-01"}, {"nets", Value::array()}}));
}

TEST(FormatSize, UsesTheLargestExactUnit) {
  EXPECT_EQ(FormatSize(34359738368), "32G");
  EXPECT_EQ(FormatSize(1099511627776), "1T");
  EXPECT_EQ(FormatSize(536870912), "512M");
  EXPECT_EQ(FormatSize(1536), "1536");  // 1.5K: no unit divides it exactly
  EXPECT_EQ(FormatSize(3072), "3K");
  EXPECT_EQ(FormatSize(1000), "1000");
}

TEST(VariableName, UpperCaseWithUnderscores) {
  EXPECT_EQ(VariableName("storage pbs-1 password"), "STORAGE_PBS_1_PASSWORD");
  EXPECT_EQ(VariableName("  a..b  "), "A_B");
}

}  // namespace
}  // namespace hainfra::exporting
