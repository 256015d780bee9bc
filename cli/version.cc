#include "cli/version.h"

namespace hainfra::cli {

std::string_view Version() { return HAINFRA_VERSION; }

}  // namespace hainfra::cli
