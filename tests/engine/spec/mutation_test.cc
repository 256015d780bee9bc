// Whatever the bytes, loading a spec never crashes, hangs or throws: mutated examples and random noise go
// through the whole loader (run under ASan/UBSan by ./dev test). Deterministic: a fixed seed, overridable
// with HAINFRA_FUZZ_SEED / HAINFRA_FUZZ_ITERATIONS to explore further.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/spec/loader.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

std::vector<std::string> ExampleTexts() {
  std::vector<std::string> texts;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SourcePath("examples"))) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

// Fragments that matter to YAML or to our checks.
const std::vector<std::string> kFragments = {
    "{", "}", "[", "]", ":", ": ", "- ", ",", "&a ", "*a", "<<: *a\n", "!", "!!str ", "|", ">", "'", "\"", "#",
    "\t", "\n", "\r", std::string(1, '\0'), "\xff", "\xc3", "---\n", "...\n", "%YAML 1.2\n", "? ", "~", "null",
    "99999999999999999999999", "-1", "0x7fffffffffffffff", "1e999", ".nan", "${env:", "${file:/etc/x}", "vm:100",
    "\\u0000", "\"\\uD800\"", "\"\\x00\"", std::string(200, '['), std::string(300, ' '), std::string(5000, 'a'),
};

std::string Mutate(std::string text, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  const int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits; ++e) {
    const size_t at = pick(text.size() + 1);
    switch (pick(7)) {
      case 0:  // flip a byte
        if (!text.empty()) text[pick(text.size())] = static_cast<char>(rng());
        break;
      case 1:  // insert a fragment
        text.insert(at, kFragments[pick(kFragments.size())]);
        break;
      case 2:  // delete a range
        text.erase(at, pick(64));
        break;
      case 3:  // truncate
        text.resize(at);
        break;
      case 4: {  // duplicate a line elsewhere
        const size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
        const size_t from = start == std::string::npos ? 0 : start + 1;
        const size_t end = text.find('\n', from);
        const std::string line = text.substr(from, end == std::string::npos ? std::string::npos : end - from + 1);
        text.insert(pick(text.size() + 1), line);
        break;
      }
      case 5:  // swap two bytes
        if (text.size() > 1) std::swap(text[pick(text.size())], text[pick(text.size())]);
        break;
      default:  // replace a digit run with something odd
        if (const size_t d = text.find_first_of("0123456789", at); d != std::string::npos) {
          text.replace(d, 1, kFragments[pick(kFragments.size())]);
        }
    }
  }
  return text;
}

// Lines as YAML counts them: LF, CR and CR LF, and the Unicode breaks NEL, LS and PS (an upper bound).
long CountLines(const std::string& text) {
  long lines = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') ++lines;
    if (text.compare(i, 2, "\xC2\x85") == 0 || text.compare(i, 3, "\xE2\x80\xA8") == 0 ||
        text.compare(i, 3, "\xE2\x80\xA9") == 0) {
      ++lines;
    }
  }
  return lines;
}

void ExpectWellFormed(const LoadResult& result, const std::string& text) {
  const long lines = CountLines(text) + 1;
  for (const Diagnostic& d : result.diagnostics) {
    EXPECT_FALSE(d.message.empty());
    EXPECT_NO_THROW((void)Value(d.message).dump()) << "not clean UTF-8: " << d.message;
    EXPECT_EQ(d.where.file, "mutant.yaml");
    EXPECT_LE(d.where.line, lines) << d.ToString();
    EXPECT_GE(d.where.line, 0) << d.ToString();
  }
  for (const Resource& r : result.spec.objects) {
    EXPECT_FALSE(r.address.kind.empty());
    EXPECT_FALSE(r.address.name.empty());
  }
}

TEST(LoadSpecMutations, MutatedExamplesNeverCrash) {
  const std::vector<std::string> examples = ExampleTexts();
  ASSERT_FALSE(examples.empty());
  const uint64_t seed = EnvOr("HAINFRA_FUZZ_SEED", 20261122);
  const uint64_t iterations = EnvOr("HAINFRA_FUZZ_ITERATIONS", 1500);
  std::mt19937_64 rng(seed);
  size_t rejected = 0;
  for (uint64_t i = 0; i < iterations; ++i) {
    const std::string text = Mutate(examples[i % examples.size()], rng);
    LoadResult result;
    ASSERT_NO_THROW(result = LoadSpecText(text, "mutant.yaml")) << "seed " << seed << " iteration " << i;
    ExpectWellFormed(result, text);
    rejected += HasErrors(result.diagnostics) ? 1 : 0;
  }
  // Most mutations break something; a loader that rejects nothing would be checking nothing.
  EXPECT_GT(rejected, iterations / 2);
}

TEST(LoadSpecMutations, RandomNoiseNeverCrashes) {
  std::mt19937_64 rng(EnvOr("HAINFRA_FUZZ_SEED", 7));
  for (int i = 0; i < 300; ++i) {
    std::string text(static_cast<size_t>(rng() % 512), '\0');
    for (char& c : text) c = static_cast<char>(rng());
    LoadResult result;
    ASSERT_NO_THROW(result = LoadSpecText(text, "mutant.yaml")) << "iteration " << i;
    ExpectWellFormed(result, text);
  }
}

TEST(LoadSpecMutations, PathologicalInputsAreRefusedQuickly) {
  const std::vector<std::string> inputs = {
      std::string(100000, '['),                                   // deep flow nesting
      std::string(100000, '-') + " x",                            // a very long plain scalar line
      "a: " + std::string(200000, 'x') + "\n",                    // a huge scalar
      "nodes:\n" + std::string(20000, ' ') + "- x\n",             // huge indentation
      "x: &a [" + std::string(4000, '[') + "*a",                  // alias inside its own anchor
      "cluster:\n  name: \"" + std::string(100000, '\\') + "\"",  // escapes
  };
  for (const std::string& text : inputs) {
    LoadResult result;
    ASSERT_NO_THROW(result = LoadSpecText(text, "mutant.yaml"));
    EXPECT_TRUE(HasErrors(result.diagnostics)) << text.substr(0, 40);
  }
}

}  // namespace
}  // namespace hainfra::spec
