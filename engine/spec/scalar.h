// What a plain YAML scalar means, by the YAML 1.2 core schema (the one editors use): `true` is a boolean,
// `20` an integer, `2.5` a number, anything else text. `yes`/`no`/`on`/`off` stay text, as in YAML 1.2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hainfra::spec {

enum class ScalarType { kString, kBool, kInt, kNumber, kNull };

struct Scalar {
  ScalarType type = ScalarType::kString;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  bool overflow = false;  // an integer that does not fit 64 bits
};

// Resolves a plain scalar's text.
Scalar ResolvePlain(std::string_view text);

// "an integer", "a string", ... for messages.
std::string_view ScalarTypeName(ScalarType type);

}  // namespace hainfra::spec
