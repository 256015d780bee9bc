// The Perl regular expressions of the PVE API schema ("(?^:...)", "(?^i:...)", "{,n}", atomic groups),
// translated to std::regex and matched the way JSONSchema.pm does: anchored, m/^$pattern$/.
#pragma once

#include <string>

namespace pvesim {

// Translates a Perl pattern to ECMAScript syntax; sets *icase when an "(?^i:" group asks for it.
std::string PerlToEcmaScript(const std::string& perl, bool* icase);

// True when `value` matches m/^$pattern$/ (Perl's `$` also matches before one final newline).
// Compiled patterns are cached; a pattern std::regex cannot compile matches everything (logged once).
bool PerlFullMatch(const std::string& pattern, const std::string& value);

}  // namespace pvesim
