// The shape of the bad-spec corpus (tests/engine/spec/bad_specs*_test.cc): a spec and every diagnostic it
// must produce, exactly, as "line:col: severity: message" in file order.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace hainfra::testing {

struct BadSpec {
  const char* name;
  const char* yaml;
  std::vector<std::string> expected;
};

inline void PrintTo(const BadSpec& c, std::ostream* os) { *os << c.name; }

inline std::string CaseName(const ::testing::TestParamInfo<BadSpec>& param) { return param.param.name; }

class BadSpecs : public ::testing::TestWithParam<BadSpec> {};

}  // namespace hainfra::testing
