// A private scratch directory under /tmp for one test, removed with everything in it at the end.
#pragma once

#include <string>

namespace hainfra::testing {

class TempDir {
 public:
  // Creates /tmp/hainfra-<tag>-XXXXXX (mode 0700); aborts the test binary if /tmp is unusable.
  explicit TempDir(const std::string& tag = "test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole-file helpers for tests (binary-safe). ReadText returns "" for a missing file.
void WriteText(const std::string& path, const std::string& content);
std::string ReadText(const std::string& path);

}  // namespace hainfra::testing
