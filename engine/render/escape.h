// Escaping for the report formats the renderers write: XML (JUnit) and Prometheus label values.
#pragma once

#include <string>
#include <string_view>

namespace hainfra::render {

// `&`, `<`, `>`, `"` and `'` as XML entities: safe in element text and in attribute values.
std::string XmlEscape(std::string_view text);

// A Prometheus text-format label value: backslash, double quote and newline escaped.
std::string PrometheusLabelEscape(std::string_view text);

}  // namespace hainfra::render
