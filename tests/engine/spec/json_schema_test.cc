#include "engine/spec/json_schema.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/python.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every example file (the directories' files and the single-file examples).
std::vector<std::string> ExampleFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SourcePath("examples"))) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Validates YAML files against the committed schema with python3-jsonschema, an independent implementation.
// Prints one line per file: "<file>: ok" or "<file>: <path>: <message>".
constexpr const char* kValidator = R"(import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for name in sys.argv[2:]:
    errors = sorted(validator.iter_errors(yaml.safe_load(open(name))), key=lambda e: list(e.absolute_path))
    if not errors:
        print(name + ": ok")
    for e in errors:
        print(name + ": " + "/".join(str(p) for p in e.absolute_path) + ": " + e.message)
)";

TEST(JsonSchema, CommittedFileMatchesTheGeneratedOne) {
  const std::string committed = ReadFile(testing::SourcePath("schemas/hainfra.schema.json"));
  EXPECT_TRUE(committed == JsonSchemaText())
      << "schemas/hainfra.schema.json is out of date: regenerate it with\n"
         "  build/dev/cli/hainfra schema > schemas/hainfra.schema.json";
}

TEST(JsonSchema, ClosesObjectsAndCarriesRanges) {
  const Value schema = GenerateJsonSchema();
  EXPECT_EQ(schema["additionalProperties"], false);
  const Value& vm = schema["properties"]["vms"]["items"];
  EXPECT_EQ(vm["additionalProperties"], false);
  EXPECT_EQ(vm["required"], Value::array({"vmid", "node"}));
  EXPECT_EQ(vm["properties"]["vmid"]["minimum"], 100);
  EXPECT_EQ(vm["properties"]["nets"]["items"]["properties"]["tag"]["maximum"], 4094);
  EXPECT_EQ(vm["properties"]["tags"]["uniqueItems"], true);
  EXPECT_TRUE(schema["properties"]["ha"]["properties"].contains("rules"));
  EXPECT_TRUE(schema["properties"]["ceph"]["properties"].contains("pools"));
  // A secret field takes plain text or a reference.
  EXPECT_TRUE(schema["properties"]["cluster"]["properties"]["api"]["properties"]["secret"].contains("anyOf"));
}

class JsonSchemaWithPython : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HavePython({"yaml", "jsonschema"})) {
      GTEST_SKIP() << "/usr/bin/python3 with python3-yaml and python3-jsonschema is needed (.ci/install-deps test)";
    }
  }

  static std::string Validate(const std::vector<std::string>& files) {
    std::vector<std::string> args = {testing::SourcePath("schemas/hainfra.schema.json")};
    args.insert(args.end(), files.begin(), files.end());
    const testing::PythonRun run = testing::RunPython(kValidator, args);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return run.output;
  }
};

TEST_F(JsonSchemaWithPython, AcceptsEveryExample) {
  const std::vector<std::string> files = ExampleFiles();
  ASSERT_GE(files.size(), 15u);
  std::string expected;
  for (const std::string& f : files) expected += f + ": ok\n";
  EXPECT_EQ(Validate(files), expected);
}

TEST_F(JsonSchemaWithPython, RejectsBadSpecs) {
  struct Case {
    const char* yaml;
    const char* error;  // python-jsonschema's "path: message"
  };
  const Case cases[] = {
      {"vms:\n  - { vmid: 99, node: pve-01 }\n", "vms/0/vmid: 99 is less than the minimum of 100"},
      {"vms:\n  - { vmid: 100, node: pve-01, memroy: 2048 }\n",
       "vms/0: Additional properties are not allowed ('memroy' was unexpected)"},
      {"nodes:\n  - { name: pve_01, address: 10.0.0.11 }\n", "nodes/0/name: 'pve_01' does not match"},
      {"vms:\n  - { vmid: 100 }\n", "vms/0: 'node' is a required property"},
      {"ceph:\n  pools: [ { name: p, size: 9 } ]\n", "ceph/pools/0/size: 9 is greater than the maximum of 7"},
      {"ha:\n  resources: [ { sid: \"vm:100\", state: running } ]\n", "ha/resources/0/state: 'running' is not one of"},
      {"vm:\n  - { vmid: 100 }\n", ": Additional properties are not allowed ('vm' was unexpected)"},
  };
  std::vector<std::string> files;
  for (const Case& c : cases) {
    files.push_back(testing::TempPath("bad") + ".yaml");
    std::ofstream(files.back()) << c.yaml;
  }
  const std::string output = Validate(files);
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_NE(output.find(files[i] + ": " + cases[i].error), std::string::npos)
        << "case " << i << " (" << cases[i].error << ") not found in:\n"
        << output;
    EXPECT_EQ(output.find(files[i] + ": ok"), std::string::npos) << files[i];
    std::filesystem::remove(files[i]);
  }
}

}  // namespace
}  // namespace hainfra::spec
