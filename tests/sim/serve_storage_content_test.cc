// pvesim as a process: storage content (ISO images, container templates, import images), download-url and
// the appliance index behave as pve-storage and pve-manager make them behave.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

// pvesim's simulated download of a URL yields these bytes (docs/pvesim.md).
std::string ContentDownloadedBytes(const std::string& url) { return "pvesim simulated download of " + url + "\n"; }

std::string ContentSha(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  std::string hex;
  static const char* kHex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) hex += std::string{kHex[out[i] >> 4], kHex[out[i] & 15]};
  return hex;
}

constexpr const char* kContentIsoUrl = "https://cdimage.example.org/debian-12.7.0-amd64-netinst.iso";
constexpr const char* kContentCloudUrl = "https://cloud.example.org/debian-12-genericcloud-amd64.qcow2";

class PvesimStorageContent : public ::testing::Test {
 protected:
  void SetUp() override {
    pvesim_ = PvesimProcess::Start(options_);
    if (pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_->ok()) << pvesim_->error();
    c_ = std::make_unique<PvesimClient>(*pvesim_);
  }
  ApiResult Download(const std::string& node, const std::string& content, const std::string& filename,
                     const std::string& url, const std::string& checksum, const std::string& algorithm = "sha256") {
    Form form = {{"content", content}, {"filename", filename}, {"url", url}};
    if (!checksum.empty()) form["checksum"] = checksum, form["checksum-algorithm"] = algorithm;
    return c_->Post("/nodes/" + node + "/storage/local/download-url", form);
  }
  std::vector<std::string> TaskLog(const std::string& node, const std::string& upid) {
    std::vector<std::string> lines;
    for (const auto& l : c_->Get("/nodes/" + node + "/tasks/" + upid + "/log", {{"limit", "500"}}).data())
      lines.push_back(l["t"]);
    return lines;
  }
  PvesimOptions options_;
  std::unique_ptr<PvesimProcess> pvesim_;
  std::unique_ptr<PvesimClient> c_;
};

TEST_F(PvesimStorageContent, DownloadWithTheRightChecksumStoresTheIsoOnThatNodesLocalStorage) {
  ApiResult r = Download("pve-01", "iso", "debian-12.7.0-amd64-netinst.iso", kContentIsoUrl, ContentSha(EVP_sha256(), ContentDownloadedBytes(kContentIsoUrl)));
  ASSERT_EQ(r.status, 200) << r.raw;
  std::string upid = r.data();
  EXPECT_NE(upid.find(":download:debian-12.7.0-amd64-netinst.iso:"), std::string::npos) << upid;
  ASSERT_EQ(c_->WaitTask(upid), "OK");
  auto log = TaskLog("pve-01", upid);
  EXPECT_EQ(log.front(), std::string("downloading ") + kContentIsoUrl + " to /var/lib/vz/template/iso/debian-12.7.0-amd64-netinst.iso");
  EXPECT_NE(std::find(log.begin(), log.end(), "calculating checksum...OK, checksum verified"), log.end());
  EXPECT_EQ(log.back(), "TASK OK");

  nlohmann::json list = c_->Get("/nodes/pve-01/storage/local/content", {{"content", "iso"}}).data();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["volid"], "local:iso/debian-12.7.0-amd64-netinst.iso");
  EXPECT_EQ(list[0]["format"], "iso");
  EXPECT_EQ(list[0]["content"], "iso");
  EXPECT_GT(list[0]["size"].get<int64_t>(), 256ll << 20);
  EXPECT_GT(list[0]["ctime"].get<int64_t>(), 0);
  // `local` is a dir storage: another node does not see the file.
  EXPECT_TRUE(c_->Get("/nodes/pve-02/storage/local/content", {{"content", "iso"}}).data().empty());
}

TEST_F(PvesimStorageContent, AChecksumMismatchFailsTheTaskWithProxmoxsMessage) {
  std::string wrong(64, 'a');
  ApiResult r = Download("pve-01", "import", "debian-12-genericcloud-amd64.qcow2", kContentCloudUrl, wrong);
  ASSERT_EQ(r.status, 200) << r.raw;
  std::string status = c_->WaitTask(r.data());
  EXPECT_EQ(status, "checksum mismatch: got '" + ContentSha(EVP_sha256(), ContentDownloadedBytes(kContentCloudUrl)) + "' != expect '" + wrong + "'");
  EXPECT_TRUE(c_->Get("/nodes/pve-01/storage/local/content", {{"content", "import"}}).data().empty());
}

TEST_F(PvesimStorageContent, Sha512ChecksumsAreCheckedToo) {
  ApiResult r = Download("pve-01", "import", "debian-12-genericcloud-amd64.qcow2", kContentCloudUrl,
                         ContentSha(EVP_sha512(), ContentDownloadedBytes(kContentCloudUrl)), "sha512");
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  nlohmann::json list = c_->Get("/nodes/pve-01/storage/local/content", {{"content", "import"}}).data();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["volid"], "local:import/debian-12-genericcloud-amd64.qcow2");
  EXPECT_EQ(list[0]["format"], "qcow2");
  EXPECT_EQ(list[0]["size"], 2ll << 30);
}

TEST_F(PvesimStorageContent, FilenamesAreValidatedAsPveStorageDoes) {
  ApiResult iso = Download("pve-01", "iso", "netinst.qcow2", kContentIsoUrl, "");
  EXPECT_EQ(iso.status, 400);
  EXPECT_EQ(iso.errors()["filename"], "wrong file extension");
  ApiResult import = Download("pve-01", "import", "disk.iso", kContentCloudUrl, "");
  EXPECT_EQ(import.errors()["filename"], "invalid filename or wrong extension");
  // Characters outside [a-zA-Z0-9_.-] are replaced, as normalize_content_filename does.
  ApiResult odd = Download("pve-01", "iso", "my disk.iso", kContentIsoUrl, "");
  ASSERT_EQ(c_->WaitTask(odd.data()), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-01/storage/local/content", {{"content", "iso"}}).data()[0]["volid"], "local:iso/my_disk.iso");
}

TEST_F(PvesimStorageContent, AStorageWithoutTheContentTypeOrAnExistingFileIsRefused) {
  ApiResult r = c_->Post("/nodes/pve-01/storage/local-lvm/download-url",
                         {{"content", "iso"}, {"filename", "x.iso"}, {"url", kContentIsoUrl}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.message(), "storage 'local-lvm' is not configured for content-type 'iso'\n");
  ASSERT_EQ(c_->WaitTask(Download("pve-01", "iso", "x.iso", kContentIsoUrl, "").data()), "OK");
  ApiResult again = Download("pve-01", "iso", "x.iso", kContentIsoUrl, "");
  EXPECT_EQ(again.message(), "refusing to override existing file '/var/lib/vz/template/iso/x.iso'\n");
}

TEST_F(PvesimStorageContent, AVolumeIsDescribedAndDeletedByItsVolid) {
  ASSERT_EQ(c_->WaitTask(Download("pve-01", "iso", "x.iso", kContentIsoUrl, "").data()), "OK");
  ApiResult info = c_->Get("/nodes/pve-01/storage/local/content/local:iso/x.iso");
  ASSERT_EQ(info.status, 200) << info.raw;
  EXPECT_EQ(info.data()["path"], "/var/lib/vz/template/iso/x.iso");
  EXPECT_EQ(info.data()["format"], "iso");
  ApiResult del = c_->Delete("/nodes/pve-01/storage/local/content/local:iso/x.iso");
  ASSERT_EQ(del.status, 200) << del.raw;
  EXPECT_NE(del.data().get<std::string>().find(":imgdel:local:"), std::string::npos);
  EXPECT_EQ(c_->WaitTask(del.data()), "OK");
  EXPECT_TRUE(c_->Get("/nodes/pve-01/storage/local/content", {{"content", "iso"}}).data().empty());
  EXPECT_EQ(c_->Delete("/nodes/pve-01/storage/local/content/local:iso/x.iso").message(),
            "volume 'local:iso/x.iso' does not exist\n");
}

TEST_F(PvesimStorageContent, TheApplianceIndexListsTemplatesAndDownloadsThemVerified) {
  nlohmann::json index = c_->Get("/nodes/pve-01/aplinfo").data();
  nlohmann::json debian;
  for (const auto& e : index)
    if (e["package"] == "debian-12-standard") debian = e;
  ASSERT_FALSE(debian.is_null()) << index.dump();
  EXPECT_EQ(debian["template"], "debian-12-standard_12.7-1_amd64.tar.zst");
  EXPECT_EQ(debian["type"], "lxc");
  EXPECT_EQ(debian["section"], "system");
  EXPECT_EQ(debian["sha512sum"], ContentSha(EVP_sha512(), ContentDownloadedBytes(debian["source"])));
  ApiResult r = c_->Post("/nodes/pve-01/aplinfo", {{"storage", "local"}, {"template", "debian-12-standard_12.7-1_amd64.tar.zst"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  nlohmann::json list = c_->Get("/nodes/pve-01/storage/local/content", {{"content", "vztmpl"}}).data();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["volid"], "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
  EXPECT_EQ(list[0]["format"], "tzst");
  ApiResult unknown = c_->Post("/nodes/pve-01/aplinfo", {{"storage", "local"}, {"template", "nope.tar.zst"}});
  EXPECT_EQ(unknown.errors()["template"], "no such template");
  ApiResult lvm = c_->Post("/nodes/pve-01/aplinfo", {{"storage", "local-lvm"}, {"template", "debian-12-standard_12.7-1_amd64.tar.zst"}});
  EXPECT_EQ(lvm.message(), "storage 'local-lvm' does not support templates\n");
}

}  // namespace
}  // namespace hainfra::testing
