#include "schemas/formats.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "hainfra/value.h"
#include "tests/testing/python.h"

namespace hainfra::schemas {
namespace {

// Strings that probe every format's edges; each format is checked on all of them.
const std::vector<std::string> kSamples = {
    "", "a", "ab", "pve", "pve-01", "pve_01", "-pve", "pve-", "PVE01", "1node", "a.b.c", "a..b", "host.example.org",
    "vmbr0", "vmbr0.30", "bond0:1", "eno1", "e", "enp65s0f0", "vmbr-0", "abcdefghijklmnopqrstuv", "vmbr0.", "x.y",
    "local-lvm", "ceph.vm", "1local", "ab-", "research", "hpc2", "my-net", "tag_1", "+tag", "_x", "a+b.c-d",
    "BC:24:11:00:00:01", "bc:24:11:00:00:01", "01:00:5E:00:00:01", "BC:24:11:00:00", "BC-24-11-00-00-01",
    "10.0.0.11", "255.255.255.255", "256.0.0.1", "10.0.0", "10.00.0.1", "01.2.3.4", "0.0.0.0", "1.2.3.4.5",
    "::", "::1", "fd00::11", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2::3", "::ffff:10.0.0.1",
    "1:2:3:4:5:6:10.0.0.1", "1:2:3:4:5:6:7:10.0.0.1", "12345::", "g::1", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7",
    "10.0.0.0/24", "10.0.0.11/8", "10.0.0.0/7", "10.0.0.0/33", "10.0.0.0/024", "10.0.0.0/", "fd00::/64",
    "fd00::/129", "fd00::/7", "dhcp", "auto", "vm:100", "vm:99", "vm:1000000000", "ct:100", "vm:0100",
    "https://10.0.0.11:8006", "https://pve.example.org/", "http://10.0.0.11", "https://", "https://a b",
    "hainfra@pve!ci", "root@pam!a", "hainfra@pve", "@pve!ci", "hainfra@pve!1ci", "a@b!c!d",
    "8E:2C:41:9A:77:0B:D3:5F:16:C4:E8:A2:91:3D:6B:F0:45:7A:C9:18:2E:B6:D4:03:9F:61:A8:5C:E7:32:0D:B1",
    "8E:2C:41", "02:00", "mon..fri 02:00", "*/15", "sat 03:30", "02:00;rm", "chrony", "lib+c.d-e", "Chrony", "c",
    "9.1.1", "1:2.3-4", "6.14.11-4", "a1", ":1", "1.0~rc1", "PermitRootLogin", "Permit Root", "100", "2-4094",
    "4094", "4095", "0", "1-4095", "ops@lab.example.org", "root", "a@", "a@b@c", "/var/lib/vz", "var/lib", "/",
    "/a\nb", "BC:24:11", "BC:24:11:0", "BC:24:11:", "bc:2", "BC:24:11:0A", "BD:24", "B", "a.b@lab.example.org",
    "a@b", "a b@c.d", "a@b..c", "lab/students", "a/b/c", "a/b/c/d", "lab/1x", "a//b", "ff0000", "ff0000:000000",
    "ff000", "ff0000:", "gg0000", "https://10.0.0.11:65535", "https://10.0.0.11:65536", "https://10.0.0.11:0", "https://pve:08006",
    "https://[fd00::11]:8006/api2", "https://[fd00::11", "https://fd00::11", "https://pve_01:8006", "https://-pve/",
    "https://pve.example.org:", "https://a?b", "1.0-", "1.0-1-2", "1:1.0--", "2:9.2p1-2+deb12u3", "1.0-a~b",
};

TEST(Formats, NamesAreUniqueAndPatternsAnchored) {
  std::set<std::string_view> names;
  for (const FormatSpec& f : Formats()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(f.pattern.front(), '^') << f.name;
    EXPECT_EQ(f.pattern.back(), '$') << f.name;
    EXPECT_EQ(FindFormat(f.name), &f);
  }
  EXPECT_EQ(FindFormat("no-such-format"), nullptr);
}

TEST(Formats, DatacenterAndPoolFormatsFollowProxmox) {
  const FormatSpec& prefix = *FindFormat("mac-prefix");  // pve-cluster's pve_verify_mac_prefix
  for (const char* ok : {"BC:24:11", "BC:24:11:0", "BC:24:11:", "bc:2", "02"}) EXPECT_TRUE(prefix.check(ok)) << ok;
  for (const char* bad : {"BC:24:11:0A", "BD:24", "B", "BC-24"}) EXPECT_FALSE(prefix.check(bad)) << bad;
  const FormatSpec& email = *FindFormat("email");
  for (const char* ok : {"pve@lab.example.org", "a.b@lab", "a+b~c@x-y"}) EXPECT_TRUE(email.check(ok)) << ok;
  for (const char* bad : {"root", "a b@c.d", "a@b..c", "@b", "a@"}) EXPECT_FALSE(email.check(bad)) << bad;
  const FormatSpec& pool = *FindFormat("pve-poolid");
  for (const char* ok : {"research", "lab/students", "a/b/c", "r.2_x-y"}) EXPECT_TRUE(pool.check(ok)) << ok;
  for (const char* bad : {"1lab", "lab/1x", "a/b/c/d", "a//b", "/a", ""}) EXPECT_FALSE(pool.check(bad)) << bad;
  const FormatSpec& color = *FindFormat("tag-color");
  EXPECT_TRUE(color.check("ff0000"));
  EXPECT_TRUE(color.check("FF0000:000000"));
  EXPECT_FALSE(color.check("red"));
  EXPECT_FALSE(color.check("ff0000:"));
}

TEST(Formats, CheckerAgreesWithTheSchemaRegex) {
  for (const FormatSpec& f : Formats()) {
    const std::regex re{std::string(f.pattern), std::regex::ECMAScript};
    for (const std::string& sample : kSamples) {
      EXPECT_EQ(f.check(sample), std::regex_match(sample, re)) << f.name << " on `" << sample << "`";
    }
  }
}

// The JSON Schema is read by other validators (python-jsonschema, editors): the same regexes must mean the
// same in Python's `re`.
TEST(Formats, PythonReadsTheRegexesTheSameWay) {
  if (!testing::HavePython({"json", "re"})) GTEST_SKIP() << "no /usr/bin/python3";
  Value input = {{"samples", kSamples}, {"patterns", Value::object()}};
  for (const FormatSpec& f : Formats()) input["patterns"][std::string(f.name)] = std::string(f.pattern);
  const std::string in = testing::TempPath("formats") + ".json";
  const std::string out = in + ".out";
  std::ofstream(in) << input.dump();
  const testing::PythonRun run = testing::RunPython(
      "import json, re, sys\n"
      "d = json.load(open(sys.argv[1]))\n"
      "r = {n: [re.search(p, s) is not None for s in d['samples']] for n, p in d['patterns'].items()}\n"
      "json.dump(r, open(sys.argv[2], 'w'))\n",
      {in, out});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Value result = Value::parse(std::ifstream(out));
  std::filesystem::remove(in);
  std::filesystem::remove(out);
  for (const FormatSpec& f : Formats()) {
    const Value& matches = result[std::string(f.name)];
    for (size_t i = 0; i < kSamples.size(); ++i) {
      EXPECT_EQ(matches[i].get<bool>(), f.check(kSamples[i])) << f.name << " on `" << kSamples[i] << "`";
    }
  }
}

TEST(Formats, FollowProxmoxOnKnownValues) {
  auto check = [](std::string_view format, std::string_view value) { return FindFormat(format)->check(value); };
  EXPECT_TRUE(check("pve-node", "pve-01"));
  EXPECT_FALSE(check("pve-node", "pve_01"));
  EXPECT_TRUE(check("pve-storage-id", "local-lvm"));
  EXPECT_FALSE(check("pve-storage-id", "a"));  // parse_id: at least 2 characters
  EXPECT_TRUE(check("pve-iface", "vmbr0.30"));
  EXPECT_FALSE(check("pve-iface", "abcdefghijklmnopqrstuv"));  // 22 characters before any .VLAN
  EXPECT_TRUE(check("pve-sdn-id", "research"));
  EXPECT_FALSE(check("pve-sdn-id", "my-net"));
  EXPECT_FALSE(check("mac-addr", "01:00:5E:00:00:01"));  // multicast bit
  EXPECT_FALSE(check("ipv4", "10.00.0.1"));             // Proxmox's octets have no leading zeros
  EXPECT_TRUE(check("ipv6", "::ffff:10.0.0.1"));
  EXPECT_FALSE(check("cidrv4", "10.0.0.0/7"));          // prefix must be > 7
  EXPECT_TRUE(check("ha-sid", "vm:100"));
  EXPECT_FALSE(check("ha-sid", "vm:99"));
  EXPECT_FALSE(check("vlan-range", "4095"));
}

TEST(Formats, UrlsNameAHostAndAPortCurlCanReach) {
  auto url = [](std::string_view value) { return FindFormat("https-url")->check(value); };
  EXPECT_TRUE(url("https://10.0.0.11:8006"));
  EXPECT_TRUE(url("https://pve.example.org/api2/json"));
  EXPECT_TRUE(url("https://[fd00::11]:8006"));
  EXPECT_FALSE(url("https://fd00::11:8006"));     // an IPv6 host needs brackets
  EXPECT_FALSE(url("https://10.0.0.11:70000"));   // no such port
  EXPECT_FALSE(url("https://10.0.0.11:"));        // an empty port
  EXPECT_FALSE(url("https://pve_01:8006"));       // '_' is not in a host name
  EXPECT_FALSE(url("https://user@pve:8006"));     // credentials belong in `token`
}

TEST(Formats, DebianVersionsAsDpkgParsesThem) {
  auto version = [](std::string_view value) { return FindFormat("deb-version")->check(value); };
  EXPECT_TRUE(version("1:9.2p1-2+deb12u3"));
  EXPECT_TRUE(version("1.2-3-4"));   // the revision is what follows the last '-'
  EXPECT_FALSE(version("1.0-"));     // dpkg: revision number is empty
  EXPECT_FALSE(version("a1.0"));     // dpkg: version number does not start with digit
  EXPECT_FALSE(version("1.0_1"));    // dpkg: invalid character in version number
}

TEST(ParseSize, ReadsProxmoxSizes) {
  int64_t bytes = 0;
  ASSERT_TRUE(ParseSize("32G", bytes));
  EXPECT_EQ(bytes, int64_t{32} << 30);
  ASSERT_TRUE(ParseSize("1.5T", bytes));
  EXPECT_EQ(bytes, int64_t{3} << 39);
  ASSERT_TRUE(ParseSize("512MiB", bytes));
  EXPECT_EQ(bytes, int64_t{512} << 20);
  ASSERT_TRUE(ParseSize("4096", bytes));
  EXPECT_EQ(bytes, 4096);
  EXPECT_FALSE(ParseSize("32X", bytes));
  EXPECT_FALSE(ParseSize("G", bytes));
  EXPECT_FALSE(ParseSize("1.G", bytes));
  EXPECT_FALSE(ParseSize("-1G", bytes));
  EXPECT_FALSE(ParseSize("99999999999T", bytes));  // beyond 63 bits
}

}  // namespace
}  // namespace hainfra::schemas
