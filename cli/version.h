// hainfra's version string, set by CMake from the project version.
#pragma once

#include <string_view>

namespace hainfra::cli {

std::string_view Version();

}  // namespace hainfra::cli
