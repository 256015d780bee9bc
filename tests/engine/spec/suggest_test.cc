#include "engine/spec/suggest.h"

#include <gtest/gtest.h>

namespace hainfra::spec {
namespace {

TEST(EditDistance, CountsASwapAsOneEdit) {
  EXPECT_EQ(EditDistance("memroy", "memory"), 1u);
  EXPECT_EQ(EditDistance("cores", "cores"), 0u);
  EXPECT_EQ(EditDistance("Cores", "cores"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(DidYouMean, SuggestsOnlyLikelyTypos) {
  const std::vector<std::string> keys = {"memory", "cores", "sockets", "node", "name"};
  EXPECT_EQ(DidYouMean("memroy", keys), " — did you mean `memory`?");
  EXPECT_EQ(DidYouMean("socket", keys), " — did you mean `sockets`?");
  EXPECT_EQ(DidYouMean("bandwidth", keys), "");
  EXPECT_EQ(DidYouMean(std::string(1000, 'x'), keys), "");
}

}  // namespace
}  // namespace hainfra::spec
