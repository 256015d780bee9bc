// "did you mean" hints for misspelt keys, values and names (edit distance with transpositions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hainfra::spec {

// Optimal-string-alignment distance (a swap of two neighbours counts 1), case-insensitive.
size_t EditDistance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a likely typo; empty otherwise.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " — did you mean `memory`?" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hainfra::spec
