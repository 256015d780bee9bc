// Writing a whole file atomically: a reader sees the old content or the new one, never a mix
// (plan files, JUnit reports, node_exporter textfiles).
#pragma once

#include <string>
#include <sys/types.h>

#include "hainfra/result.h"

namespace hainfra::planfile {

// Writes `text` to `path` through a temp file in the same folder, fsync and rename; `mode` as for open(2).
Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode = 0644);

}  // namespace hainfra::planfile
