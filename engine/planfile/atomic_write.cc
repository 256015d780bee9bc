#include "engine/planfile/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hainfra::planfile {
namespace {

Error SystemError(const std::string& what, const std::string& path) {
  return Error{Code::kFailedPrecondition, path + ": cannot " + what + ": " + std::strerror(errno)};
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Fail(SystemError("create", temp));
  // open(2) applies the umask; set the mode asked for (0600 must stay 0600, 0644 may not be narrowed).
  if (::fchmod(fd, mode) != 0) {
    Error e = SystemError("set the mode of", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = SystemError("write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return Fail(e);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Error e = SystemError("flush", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  if (::close(fd) != 0) {
    Error e = SystemError("close", temp);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error e = SystemError("rename into place", path);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  return Ok();
}

}  // namespace hainfra::planfile
