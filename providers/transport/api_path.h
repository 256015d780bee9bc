// Building request paths and form bodies for the PVE API: percent-encoding of path segments and of
// parameters (`application/x-www-form-urlencoded`, Proxmox's booleans as 0/1).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::transport {

// Percent-encodes one path segment: everything but RFC 3986 unreserved characters, `:` and `@` (so a UPID
// stays readable, as Proxmox's own clients send it). Segments `.` and `..` are encoded too, so a spec value
// can never climb out of its place in the path.
std::string EncodePathSegment(std::string_view segment);

// "/nodes/pve-01/qemu/100" from {"nodes", node, "qemu", "100"}; every segment is encoded.
std::string ApiPath(std::initializer_list<std::string_view> segments);

// Percent-encodes a form or query value (space as %20, `+` as %2B).
std::string EncodeFormComponent(std::string_view text);

// Encodes a JSON object of parameters as `a=1&b=x`: strings as is, booleans as 0/1, numbers in decimal,
// arrays as repeated keys, nulls left out. Nested objects are refused (kInvalidArgument naming the key).
Result<std::string> EncodeForm(const Value& params);

}  // namespace hainfra::transport
