// Atomic remote file writes and reads against a real sshd (it runs on this machine, so the test can look
// at the files directly).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "providers/transport/remote_file_scripts.h"
#include "providers/transport/ssh_client.h"
#include "tests/testing/sshd_fixture.h"

namespace hainfra::transport {
namespace {

using testing::ReadText;
using testing::SshdFixture;
using testing::WriteText;

struct stat StatOf(const std::string& path) {
  struct stat st {};
  stat(path.c_str(), &st);
  return st;
}

class SshFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0) GTEST_SKIP() << sshd_.error();
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
    auto client = SshClient::Create(sshd_.Settings());
    ASSERT_TRUE(client) << client.error().ToString();
    client_ = std::move(*client);
  }
  std::string Path(const std::string& name) const { return sshd_.dir().File(name); }

  SshdFixture sshd_;
  std::unique_ptr<SshClient> client_;
};

TEST_F(SshFilesTest, NewFileIsWrittenWithItsModeAndReportedAsChanged) {
  const std::string path = Path("new.conf");
  auto changed = client_->WriteFileAtomic("pve-01", path, "key = value\n", {0640, sshd_.user()});
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(ReadText(path), "key = value\n");
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0640u);
  EXPECT_FALSE(std::filesystem::exists(path + ".hainfra-prev")) << "nothing to keep for a new file";
}

TEST_F(SshFilesTest, NewFileWithoutAModeGets0644) {
  const std::string path = Path("plain.conf");
  ASSERT_TRUE(client_->WriteFileAtomic("pve-01", path, "x\n"));
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0644u);
}

TEST_F(SshFilesTest, SameContentWritesNothing) {
  const std::string path = Path("same.conf");
  ASSERT_TRUE(client_->WriteFileAtomic("pve-01", path, "same\n", {0600, ""}));
  struct stat before = StatOf(path);
  auto changed = client_->WriteFileAtomic("pve-01", path, "same\n", {0600, ""});
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_FALSE(*changed);
  struct stat after = StatOf(path);
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_FALSE(std::filesystem::exists(path + ".hainfra-prev"));
}

TEST_F(SshFilesTest, ChangedContentReplacesTheFileAndKeepsThePreviousVersion) {
  const std::string path = Path("rolling.conf");
  WriteText(path, "version 1\n");
  chmod(path.c_str(), 0600);
  auto changed = client_->WriteFileAtomic("pve-01", path, "version 2\n");
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(ReadText(path), "version 2\n");
  EXPECT_EQ(ReadText(path + ".hainfra-prev"), "version 1\n");
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0600u) << "without a mode, the old file's mode is kept";
  ASSERT_TRUE(client_->WriteFileAtomic("pve-01", path, "version 3\n"));
  EXPECT_EQ(ReadText(path + ".hainfra-prev"), "version 2\n");
  for (const auto& entry : std::filesystem::directory_iterator(sshd_.dir().path())) {
    EXPECT_EQ(entry.path().filename().string().find(".hainfra-tmp."), std::string::npos) << entry.path();
  }
}

TEST_F(SshFilesTest, ModeOnlyDifferenceIsFixedInPlace) {
  const std::string path = Path("mode.conf");
  WriteText(path, "content\n");
  chmod(path.c_str(), 0644);
  ino_t inode = StatOf(path).st_ino;
  auto changed = client_->WriteFileAtomic("pve-01", path, "content\n", {0600, ""});
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0600u);
  EXPECT_EQ(StatOf(path).st_ino, inode);
}

TEST_F(SshFilesTest, BinaryContentAndAwkwardPathsSurvive) {
  std::string content;
  for (int i = 0; i < 4096; ++i) content += static_cast<char>(i % 256);
  const std::string path = Path("a b'c;$(touch pwned) `x`.bin");
  auto changed = client_->WriteFileAtomic("pve-01", path, content);
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_TRUE(ReadText(path) == content);
  auto read = client_->ReadFile("pve-01", path);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_TRUE(*read == content);
  EXPECT_FALSE(std::filesystem::exists(Path("pwned")));
}

TEST_F(SshFilesTest, EmptyContentIsAFileToo) {
  const std::string path = Path("empty.conf");
  ASSERT_TRUE(client_->WriteFileAtomic("pve-01", path, ""));
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
}

TEST_F(SshFilesTest, SymlinksDirectoriesAndMissingDirectoriesAreRefused) {
  WriteText(Path("real.conf"), "real\n");
  std::filesystem::create_symlink(Path("real.conf"), Path("link.conf"));
  auto link = client_->WriteFileAtomic("pve-01", Path("link.conf"), "new\n");
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().code, Code::kFailedPrecondition);
  EXPECT_NE(link.error().message.find("symbolic link"), std::string::npos) << link.error().message;
  EXPECT_EQ(ReadText(Path("real.conf")), "real\n");

  std::filesystem::create_directory(Path("adir"));
  EXPECT_FALSE(client_->WriteFileAtomic("pve-01", Path("adir"), "x"));

  auto missing = client_->WriteFileAtomic("pve-01", Path("no/such/dir/file.conf"), "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kNotFound) << missing.error().message;

  auto relative = client_->WriteFileAtomic("pve-01", "relative.conf", "x");
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error().code, Code::kInvalidArgument);
}

TEST_F(SshFilesTest, ReadingAMissingFileIsNotFound) {
  auto read = client_->ReadFile("pve-01", Path("absent.conf"));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Code::kNotFound);
}

TEST_F(SshFilesTest, KillingTheConnectionMidWriteNeverLeavesAHalfWrittenFile) {
  const std::string path = Path("big.conf");
  WriteText(path, "old content\n");
  std::string content(96u << 20, 'n');
  for (size_t i = 0; i < content.size(); i += 4096) content[i] = '\n';

  Result<bool> result = false;
  std::thread writer([&] { result = client_->WriteFileAtomic("pve-01", path, content); });
  // Wait until the temporary file is filling up, then cut every connection.
  bool killed = false;
  for (int i = 0; i < 20000 && !killed; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(sshd_.dir().path())) {
      if (entry.path().filename().string().starts_with(".big.conf.hainfra-tmp.") && entry.file_size() > (1u << 20)) {
        sshd_.KillConnections();
        killed = true;
        break;
      }
    }
    if (!killed) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  writer.join();
  ASSERT_TRUE(killed) << "the transfer never started";
  ASSERT_FALSE(result) << "the write finished before the connection was cut; nothing was tested";
  EXPECT_EQ(result.error().code, Code::kUnavailable) << result.error().ToString();
  EXPECT_EQ(ReadText(path), "old content\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".hainfra-prev"));
  // The remote script notices the short input and removes its temporary file.
  bool cleaned = false;
  for (int i = 0; i < 500 && !cleaned; ++i) {
    cleaned = true;
    for (const auto& entry : std::filesystem::directory_iterator(sshd_.dir().path())) {
      if (entry.path().filename().string().starts_with(".big.conf.hainfra-tmp.")) cleaned = false;
    }
    if (!cleaned) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(cleaned) << "the temporary file was left behind";

  auto again = client_->WriteFileAtomic("pve-01", path, content);  // reconnects
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(std::filesystem::file_size(path), content.size());
  EXPECT_EQ(ReadText(path + ".hainfra-prev"), "old content\n");
}

TEST(RemoteFileScripts, ParsesTheStatAnswer) {
  auto missing = ParseStatFileOutput("missing\n");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->exists);
  auto notfile = ParseStatFileOutput("notfile\n");
  ASSERT_TRUE(notfile);
  EXPECT_FALSE(notfile->regular);
  auto file = ParseStatFileOutput("640 root:www-data\n" + std::string(64, 'a') + "\n");
  ASSERT_TRUE(file) << file.error().ToString();
  EXPECT_EQ(file->mode, 0640);
  EXPECT_EQ(file->owner, "root:www-data");
  EXPECT_FALSE(ParseStatFileOutput("garbage"));
}

TEST(RemoteFileScripts, ModesAndChecksums) {
  EXPECT_EQ(ModeText(0644), "644");
  EXPECT_EQ(ModeText(04755), "4755");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace hainfra::transport
