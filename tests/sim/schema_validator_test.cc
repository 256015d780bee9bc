#include "sim/pvesim/schema_validator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/pvesim/api_schema.h"

namespace pvesim {
namespace {

using json = nlohmann::json;

json ParamsSchema(json props) { return {{"additionalProperties", 0}, {"properties", std::move(props)}}; }

TEST(SchemaValidator, UnknownParameterIsNamed) {
  auto errors = ValidateParameters({{"cores", "2"}, {"memroy", "2048"}},
                                   ParamsSchema({{"cores", {{"type", "integer"}, {"optional", 1}}}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors["memroy"], "property is not defined in schema and the schema does not allow additional properties");
}

TEST(SchemaValidator, MissingRequiredParameterIsNamed) {
  auto errors = ValidateParameters(json::object(), ParamsSchema({{"vmid", {{"type", "integer"}}}}));
  EXPECT_EQ(errors["vmid"], "property is missing and it is not optional");
}

TEST(SchemaValidator, TypesAreCheckedAsPerlDoes) {
  json schema = ParamsSchema({{"n", {{"type", "integer"}, {"optional", 1}}},
                              {"b", {{"type", "boolean"}, {"optional", 1}}},
                              {"x", {{"type", "number"}, {"optional", 1}}}});
  auto errors = ValidateParameters({{"n", "1.5"}, {"b", "true"}, {"x", "abc"}}, schema);
  EXPECT_EQ(errors["n"], "type check ('integer') failed - got '1.5'");
  EXPECT_EQ(errors["b"], "type check ('boolean') failed - got 'true'");
  EXPECT_EQ(errors["x"], "type check ('number') failed - got 'abc'");
  EXPECT_TRUE(ValidateParameters({{"n", 3}, {"b", true}, {"x", "2.5"}}, schema).empty());
}

TEST(SchemaValidator, EnumRangeLengthAndPattern) {
  json schema = ParamsSchema({{"mode", {{"type", "string"}, {"enum", {"on", "off"}}, {"optional", 1}}},
                              {"tag", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4094}, {"optional", 1}}},
                              {"name", {{"type", "string"}, {"maxLength", 3}, {"optional", 1}}},
                              {"id", {{"type", "string"}, {"pattern", "(?^:[a-z]+)"}, {"optional", 1}}}});
  auto errors = ValidateParameters({{"mode", "warn"}, {"tag", "5000"}, {"name", "abcd"}, {"id", "A1"}}, schema);
  EXPECT_EQ(errors["mode"], "value 'warn' does not have a value in the enumeration 'on, off'");
  EXPECT_EQ(errors["tag"], "value must have a maximum value of 4094");
  EXPECT_EQ(errors["name"], "value may only be 3 characters long");
  EXPECT_EQ(errors["id"], "value does not match the regex pattern");
}

TEST(SchemaValidator, RequiresNamesTheMissingPartner) {
  json schema = ParamsSchema({{"address", {{"type", "string"}, {"optional", 1}, {"requires", "netmask"}}},
                              {"netmask", {{"type", "string"}, {"optional", 1}}}});
  auto errors = ValidateParameters({{"address", "10.0.0.1"}}, schema);
  EXPECT_EQ(errors["netmask"], "missing property required by 'address'");
}

TEST(SchemaValidator, NumberedFamiliesExpandWithinTheirRange) {
  json net = {{"type", "string"}, {"optional", 1}, {"format", {{"model", {{"type", "string"}, {"default_key", 1}}}}}};
  json schema = ParamsSchema({{"net[n]", net}});
  EXPECT_TRUE(ValidateParameters({{"net0", "virtio"}, {"net31", "e1000"}}, schema).empty());
  auto errors = ValidateParameters({{"net32", "virtio"}}, schema);
  EXPECT_TRUE(errors.contains("net32"));
}

TEST(SchemaValidator, PropertyStringKeysAndValuesAreChecked) {
  json format = {{"model", {{"type", "string"}, {"default_key", 1}, {"enum", {"virtio", "e1000"}}}},
                 {"tag", {{"type", "integer"}, {"optional", 1}, {"minimum", 1}, {"maximum", 4094}}},
                 {"macaddr", {{"type", "string"}, {"optional", 1}}},
                 {"virtio", {{"alias", "macaddr"}, {"keyAlias", "model"}}}};
  json schema = ParamsSchema({{"net0", {{"type", "string"}, {"optional", 1}, {"format", format}}}});
  EXPECT_TRUE(ValidateParameters({{"net0", "virtio=BC:24:11:00:00:01,tag=20"}}, schema).empty());
  auto bad_tag = ValidateParameters({{"net0", "virtio,tag=abc"}}, schema);
  EXPECT_EQ(bad_tag["net0"], "invalid format - format error\nnet0.tag: type check ('integer') failed - got 'abc'\n");
  auto bad_key = ValidateParameters({{"net0", "virtio,vlan=20"}}, schema);
  EXPECT_EQ(bad_key["net0"], "invalid format - invalid key in comma-separated list property: vlan\n");
}

TEST(SchemaValidator, NamedFormatsReportProxmoxTexts) {
  json schema = ParamsSchema({{"node", {{"type", "string"}, {"format", "pve-node"}}},
                              {"cidr", {{"type", "string"}, {"format", "CIDRv4"}, {"optional", 1}}},
                              {"nodes", {{"type", "string"}, {"format", "pve-ha-node-list"}, {"optional", 1}}}});
  auto errors = ValidateParameters({{"node", "bad_name"}, {"cidr", "10.0.0.1"}, {"nodes", "pve-01:2,pve_02"}}, schema);
  EXPECT_EQ(errors["node"], "invalid format - value does not look like a valid node name\n");
  EXPECT_EQ(errors["cidr"], "invalid format - value does not look like a valid IPv4 CIDR network\n");
  EXPECT_TRUE(errors.contains("nodes"));
  EXPECT_TRUE(ValidateParameters({{"node", "pve-01"}, {"nodes", "pve-01:2,pve-02"}}, schema).empty());
}

TEST(SchemaValidator, InstanceTypesMakeOtherTypesKeysOptional) {
  json schema = ParamsSchema({{"type", {{"type", "string"}, {"enum", {"a", "b"}}}},
                              {"onlya", {{"type", "string"}, {"instance-types", {"a"}}, {"type-property", "type"}}}});
  EXPECT_TRUE(ValidateParameters({{"type", "b"}}, schema).empty());
  EXPECT_EQ(ValidateParameters({{"type", "a"}}, schema)["onlya"], "property is missing and it is not optional");
}

// Against the real PVE 9 schema: every path of the qemu config endpoint resolves and validates.
TEST(SchemaValidator, RealSchemaRejectsAMistypedQemuConfig) {
  std::string file = std::string(HAINFRA_SHARED_DIR) + "/pve-api/pve9-api-schema.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "PVE API schema not available at " << file;
  auto schema = ApiSchema::Load(file);
  ASSERT_TRUE(schema.has_value());
  auto m = (*schema)->Find("PUT", "/nodes/pve-01/qemu/100/config");
  ASSERT_NE(m.info, nullptr);
  EXPECT_EQ(m.path_template, "/nodes/{node}/qemu/{vmid}/config");
  EXPECT_EQ(m.path_params["vmid"], "100");
  const json& params = (*m.info)["parameters"];
  json good = {{"node", "pve-01"}, {"vmid", "100"}, {"cores", "4"}, {"memory", "4096"},
               {"net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20,firewall=1"},
               {"scsi0", "local-lvm:vm-100-disk-0,iothread=1,size=32G"}, {"agent", "1,fstrim_cloned_disks=1"}};
  EXPECT_TRUE(ValidateParameters(good, params).empty());
  json bad = good;
  bad["cores"] = "four";
  bad["net1"] = "virtio,bridge=vmbr0,tag=5000";
  bad["scsi1"] = "local-lvm:8,iothreads=1";
  bad["memroy"] = "1";
  auto errors = ValidateParameters(bad, params);
  EXPECT_TRUE(errors.contains("cores"));
  EXPECT_TRUE(errors.contains("net1"));
  EXPECT_TRUE(errors.contains("scsi1"));
  EXPECT_TRUE(errors.contains("memroy"));
  EXPECT_EQ(errors.size(), 4u);
  EXPECT_NE(errors["net1"].find("net1.tag: value must have a maximum value of 4094"), std::string::npos);
}

TEST(ApiSchema, LiteralSegmentsWinAndUnknownMethodsAreReported) {
  std::string file = std::string(HAINFRA_SHARED_DIR) + "/pve-api/pve9-api-schema.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "PVE API schema not available at " << file;
  auto schema = ApiSchema::Load(file);
  ASSERT_TRUE(schema.has_value());
  EXPECT_GT((*schema)->EndpointCount(), 600u);
  auto ha = (*schema)->Find("GET", "/cluster/ha/status/current");
  ASSERT_NE(ha.info, nullptr);
  EXPECT_EQ(ha.path_template, "/cluster/ha/status/current");
  auto none = (*schema)->Find("PATCH", "/version");
  EXPECT_TRUE(none.path_found);
  EXPECT_EQ(none.info, nullptr);
  EXPECT_FALSE((*schema)->Find("GET", "/no/such/path").path_found);
}

}  // namespace
}  // namespace pvesim
