// One libFuzzer binary per target of tests/fuzz/fuzz_targets.cc: HAINFRA_FUZZ_TARGET names it (fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hainfra::fuzzing::FuzzTarget* target = [] {
    const hainfra::fuzzing::FuzzTarget* t = hainfra::fuzzing::FindFuzzTarget(HAINFRA_FUZZ_TARGET);
    if (t == nullptr) {
      std::fprintf(stderr, "no fuzz target %s\n", HAINFRA_FUZZ_TARGET);
      std::abort();
    }
    return t;
  }();
  target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
