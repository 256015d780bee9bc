// Checks the raw bytes of a spec file before YAML parsing: UTF-8, control characters and tab indentation,
// which the YAML parser would otherwise report with a confusing message (or not at all).
#pragma once

#include <string>
#include <string_view>

#include "hainfra/location.h"

namespace hainfra::spec {

// Strips a UTF-8 byte-order mark from `text`; appends located errors to `out`. False when the text must not
// be parsed.
bool ScanText(std::string_view& text, const std::string& file, Diagnostics& out);

// True when `text` is well-formed UTF-8 without control characters other than tab and newline (strings that
// escapes such as "\u0000" or "\uD800" produce after parsing).
bool IsCleanText(std::string_view text);

// `text` safe to put in a message: control characters and bytes that are not UTF-8 become \xNN, so every
// diagnostic is clean UTF-8 (JSON renderers and terminals take it as is).
std::string Printable(std::string_view text);

}  // namespace hainfra::spec
