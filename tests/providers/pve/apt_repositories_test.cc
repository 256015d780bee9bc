#include "providers/pve/apt_repositories.h"

#include <gtest/gtest.h>

namespace hainfra::pve {
namespace {

// The shape of GET /nodes/{node}/apt/repositories on PVE 9 (deb822 files; schema in pve9-api-schema.json).
Value Pve9Answer() {
  return Value::parse(R"({
    "digest": "3f9c0a",
    "errors": [],
    "files": [
      {"path": "/etc/apt/sources.list.d/debian.sources", "file-type": "sources", "digest": [1, 2],
       "repositories": [
         {"Types": ["deb"], "URIs": ["http://deb.debian.org/debian/"], "Suites": ["trixie", "trixie-updates"],
          "Components": ["main", "contrib"], "Enabled": true, "FileType": "sources"}]},
      {"path": "/etc/apt/sources.list.d/pve-enterprise.sources", "file-type": "sources", "digest": [3],
       "repositories": [
         {"Types": ["deb"], "URIs": ["https://enterprise.proxmox.com/debian/pve"], "Suites": ["trixie"],
          "Components": ["pve-enterprise"], "Enabled": false, "FileType": "sources"}]},
      {"path": "/etc/apt/sources.list.d/proxmox.sources", "file-type": "sources", "digest": [4],
       "repositories": [
         {"Types": ["deb"], "URIs": ["http://download.proxmox.com/debian/pve/"], "Suites": ["trixie"],
          "Components": ["pve-no-subscription"], "Enabled": 1, "FileType": "sources"}]}
    ],
    "infos": [],
    "standard-repos": [
      {"handle": "enterprise", "name": "Enterprise", "status": 0},
      {"handle": "no-subscription", "name": "No-Subscription", "status": 1},
      {"handle": "test", "name": "Test"},
      {"handle": "ceph-squid-enterprise", "name": "Ceph Squid Enterprise"},
      {"handle": "ceph-squid-no-subscription", "name": "Ceph Squid No-Subscription"},
      {"handle": "ceph-squid-test", "name": "Ceph Squid Test"}
    ]
  })");
}

TEST(AptRepositories, ReadsFilesRepositoriesAndStandardHandles) {
  Result<AptRepositories> repos = ParseAptRepositories(Pve9Answer());
  ASSERT_TRUE(repos) << repos.error().message;
  EXPECT_EQ(repos->digest, "3f9c0a");
  ASSERT_EQ(repos->repositories.size(), 3u);
  EXPECT_EQ(repos->repositories[1].path, "/etc/apt/sources.list.d/pve-enterprise.sources");
  EXPECT_EQ(repos->repositories[1].index, 0);
  EXPECT_FALSE(repos->repositories[1].enabled);
  EXPECT_TRUE(repos->repositories[2].enabled);  // 1 as a number
  EXPECT_TRUE(repos->Enabled("no-subscription"));
  EXPECT_FALSE(repos->Enabled("enterprise"));      // configured, disabled
  EXPECT_FALSE(repos->Enabled("ceph-squid-test"));  // not configured
  EXPECT_EQ(repos->offered.size(), 6u);
}

TEST(AptRepositories, ADigestAsByteArrayBecomesHex) {
  Value answer = Pve9Answer();
  answer["digest"] = Value::array({0, 171, 255});
  Result<AptRepositories> repos = ParseAptRepositories(answer);
  ASSERT_TRUE(repos);
  EXPECT_EQ(repos->digest, "00abff");
}

TEST(AptRepositories, AnAnswerWithoutFilesIsAClearError) {
  Result<AptRepositories> repos = ParseAptRepositories(Value::parse(R"({"digest": "x"})"));
  ASSERT_FALSE(repos);
  EXPECT_NE(repos.error().message.find("files"), std::string::npos);
}

TEST(AptRepositories, AHandleRefersToItsUriComponentAndTheReleasesSuite) {
  Result<AptRepositories> repos = ParseAptRepositories(Pve9Answer());
  ASSERT_TRUE(repos);
  const AptRepository& no_subscription = repos->repositories[2];  // URI with a trailing slash
  EXPECT_TRUE(RefersTo(no_subscription, "no-subscription", DebianSuite(9)));
  EXPECT_FALSE(RefersTo(no_subscription, "no-subscription", DebianSuite(8)));  // bookworm
  EXPECT_FALSE(RefersTo(no_subscription, "test", DebianSuite(9)));
  EXPECT_FALSE(RefersTo(repos->repositories[0], "no-subscription", DebianSuite(9)));
  EXPECT_TRUE(RefersTo(repos->repositories[1], "enterprise", "trixie"));
  EXPECT_FALSE(RefersTo(repos->repositories[1], "no-such-handle", "trixie"));
}

TEST(AptRepositories, CephHandlesUseTheirOwnComponents) {
  AptRepository ceph;
  ceph.types = {"deb"};
  ceph.uris = {"http://download.proxmox.com/debian/ceph-squid"};
  ceph.suites = {"bookworm"};
  ceph.components = {"no-subscription"};
  EXPECT_TRUE(RefersTo(ceph, "ceph-squid-no-subscription", "bookworm"));
  EXPECT_FALSE(RefersTo(ceph, "ceph-squid-enterprise", "bookworm"));
  EXPECT_FALSE(RefersTo(ceph, "ceph-reef-no-subscription", "bookworm"));
  ceph.uris = {"http://download.proxmox.com/debian/ceph-quincy"};
  ceph.components = {"main"};  // quincy's older component name
  EXPECT_TRUE(RefersTo(ceph, "ceph-quincy-no-subscription", "bookworm"));
}

TEST(AptRepositories, TheTestHandleKnowsBothComponentSpellings) {
  AptRepository test;
  test.types = {"deb"};
  test.uris = {"http://download.proxmox.com/debian/pve"};
  test.suites = {"bookworm"};
  test.components = {"pvetest"};  // PVE 8
  EXPECT_TRUE(RefersTo(test, "test", "bookworm"));
  test.suites = {"trixie"};
  test.components = {"pve-test"};  // PVE 9
  EXPECT_TRUE(RefersTo(test, "test", "trixie"));
  EXPECT_FALSE(RefersTo(test, "no-subscription", "trixie"));
}

TEST(AptRepositories, ReleasesMapToTheirDebianSuites) {
  EXPECT_EQ(DebianSuite(8), "bookworm");
  EXPECT_EQ(DebianSuite(9), "trixie");
}

}  // namespace
}  // namespace hainfra::pve
