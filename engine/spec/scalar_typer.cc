#include "engine/spec/scalar_typer.h"

#include <mutex>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "engine/spec/scalar.h"
#include "engine/spec/secrets.h"
#include "engine/spec/suggest.h"
#include "engine/spec/text_scan.h"
#include "engine/spec/typer.h"
#include "schemas/formats.h"

namespace hainfra::spec {
namespace {

// libstdc++'s regex matcher recurses per character: longer input than this is refused before matching.
constexpr size_t kMaxPatternInput = 1024;

// Compiled FieldSpec patterns, shared by every load (std::regex is costly to build, cheap to reuse).
bool MatchesPattern(const std::string& pattern, const std::string& value) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::regex> cache;
  const std::regex* re = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) {
      try {
        it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
      } catch (const std::regex_error&) {
        return false;  // a broken pattern in our own tables; the schema tests catch it
      }
    }
    re = &it->second;  // unordered_map nodes are stable
  }
  try {
    return std::regex_match(value, *re);
  } catch (const std::regex_error&) {
    return false;  // e.g. regex complexity limits on hostile input
  }
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i];
  }
  return out;
}

bool InRange(const YamlNode& node, const FieldSpec& field, const FieldPath& path, double value, TypeSink& sink) {
  if (field.min && value < static_cast<double>(*field.min)) {
    sink.Error(node.at, path, "must be at least " + std::to_string(*field.min) + ", got " + node.text);
    return false;
  }
  if (field.max && value > static_cast<double>(*field.max)) {
    sink.Error(node.at, path, "must be at most " + std::to_string(*field.max) + ", got " + node.text);
    return false;
  }
  return true;
}

std::optional<Value> Text(const YamlNode& node, const Scalar& scalar, const FieldSpec& field, const FieldPath& path,
                          TypeSink& sink) {
  if (scalar.type != ScalarType::kString) {
    sink.Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node) +
                                  " — write it in quotes: \"" + node.text + "\"");
    return std::nullopt;
  }
  if (!IsCleanText(node.text)) {
    sink.Error(node.at, path, "contains a control character or an escape that is not valid UTF-8");
    return std::nullopt;
  }
  if (field.type == FieldType::kEnum) {
    for (const std::string& v : field.enum_values) {
      if (v == node.text) return Value(node.text);
    }
    sink.Error(node.at, path, Quote(node.text) + " is not one of: " + JoinValues(field.enum_values) +
                                  DidYouMean(node.text, field.enum_values));
    return std::nullopt;
  }
  if (LooksLikeSecretReference(node.text)) {
    if (!field.secret && field.managed) {
      sink.Error(node.at, path, "secret references (${env:...}, ${file:...}) are allowed only in secret fields");
      return std::nullopt;
    }
    if (Status ok = CheckSecretReference(node.text); !ok) {
      sink.Error(node.at, path, ok.error().message);
      return std::nullopt;
    }
    return Value(node.text);
  }
  if (field.secret) sink.Warning(node.at, path, "secret written in plain text; prefer ${env:NAME} or ${file:PATH}");
  if (!CheckText(node.text, field, node.at, path, "value", sink)) return std::nullopt;
  return Value(node.text);
}

std::optional<Value> Boolean(const YamlNode& node, const Scalar& scalar, const FieldPath& path, TypeSink& sink) {
  if (scalar.type == ScalarType::kBool && node.plain) return Value(scalar.boolean);
  static const std::unordered_set<std::string> kYaml11 = {"yes", "no",  "on",  "off", "Yes", "No",  "On",
                                                          "Off", "YES", "NO",  "ON",  "OFF", "y",   "n"};
  if (node.plain && kYaml11.count(node.text) != 0) {
    sink.Error(node.at, path, Quote(node.text) + " is not a boolean here: write true or false");
  } else {
    sink.Error(node.at, path, "expected a boolean (true or false), got " + DescribeNode(node));
  }
  return std::nullopt;
}

std::optional<Value> Numeric(const YamlNode& node, const Scalar& scalar, const FieldSpec& field,
                             const FieldPath& path, TypeSink& sink) {
  const bool is_int = scalar.type == ScalarType::kInt && node.plain;
  const bool is_number = scalar.type == ScalarType::kNumber && node.plain;
  if (!is_int && !(is_number && field.type == FieldType::kNumber)) {
    sink.Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
    return std::nullopt;
  }
  if (scalar.overflow) {
    sink.Error(node.at, path, Quote(node.text) + " is out of range");
    return std::nullopt;
  }
  const double value = is_int ? static_cast<double>(scalar.integer) : scalar.number;
  if (!InRange(node, field, path, value, sink)) return std::nullopt;
  return is_int ? Value(scalar.integer) : Value(scalar.number);
}

std::optional<Value> SizeValue(const YamlNode& node, const Scalar& scalar, const FieldSpec& field,
                               const FieldPath& path, TypeSink& sink) {
  const bool plain_int = node.plain && scalar.type == ScalarType::kInt;
  int64_t bytes = 0;
  if (plain_int) {
    if (scalar.overflow) {
      sink.Error(node.at, path, Quote(node.text) + " is out of range");
      return std::nullopt;
    }
    bytes = scalar.integer;
  } else if (!schemas::ParseSize(node.text, bytes)) {
    sink.Error(node.at, path, Quote(node.text) + " is not a size: a number with an optional K, M, G or T (e.g. 32G)");
    return std::nullopt;
  }
  if (!InRange(node, field, path, static_cast<double>(bytes), sink)) return std::nullopt;
  return plain_int ? Value(scalar.integer) : Value(node.text);  // sizes are kept as written
}

void Add(TypeSink& sink, Severity severity, Mark at, const FieldPath& path, const std::string& message) {
  const std::string field = path.ToString();
  Diagnostic d;
  d.severity = severity;
  d.where = Location{sink.file, at.line, at.column};
  d.field = field;
  d.message = field.empty() ? message : field + ": " + message;
  sink.out.push_back(std::move(d));
}

}  // namespace

std::string FieldPath::ToString() const {
  std::string out = parent != nullptr ? parent->ToString() : "";
  if (index >= 0) return out + "[" + std::to_string(index) + "]";
  if (!out.empty() && !key.empty()) out += ".";
  out += key;
  return out;
}

void TypeSink::Error(Mark at, const FieldPath& path, const std::string& message) {
  Add(*this, Severity::kError, at, path, message);
}

void TypeSink::Warning(Mark at, const FieldPath& path, const std::string& message) {
  Add(*this, Severity::kWarning, at, path, message);
}

std::optional<Value> TypeScalar(const YamlNode& node, const FieldSpec& field, const FieldPath& path, TypeSink& sink) {
  if (node.kind == YamlNode::Kind::kNull) {
    sink.Error(node.at, path, "no value given (expected " + Expected(field) + ")");
    return std::nullopt;
  }
  if (node.kind != YamlNode::Kind::kScalar) {
    sink.Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
    return std::nullopt;
  }
  const Scalar scalar = node.plain ? ResolvePlain(node.text) : Scalar{};
  switch (field.type) {
    case FieldType::kString:
    case FieldType::kEnum: return Text(node, scalar, field, path, sink);
    case FieldType::kBool: return Boolean(node, scalar, path, sink);
    case FieldType::kInt:
    case FieldType::kNumber: return Numeric(node, scalar, field, path, sink);
    case FieldType::kSize: return SizeValue(node, scalar, field, path, sink);
    default: return std::nullopt;
  }
}

bool CheckText(const std::string& text, const FieldSpec& field, Mark at, const FieldPath& path,
               std::string_view what, TypeSink& sink) {
  if (!IsCleanText(text)) {
    sink.Error(at, path, "contains a control character or an escape that is not valid UTF-8");
    return false;
  }
  if (field.max_length && CodePoints(text) > *field.max_length) {
    sink.Error(at, path, "is longer than " + std::to_string(*field.max_length) + " characters");
    return false;
  }
  if (!field.format.empty()) {
    const schemas::FormatSpec* format = schemas::FindFormat(field.format);
    if (format != nullptr && !format->check(text)) {
      sink.Error(at, path, Quote(text) + " is not " + std::string(format->what));
      return false;
    }
  }
  if (!field.pattern.empty() && text.size() > kMaxPatternInput) {
    sink.Error(at, path, "is longer than " + std::to_string(kMaxPatternInput) + " characters");
    return false;
  }
  if (!field.pattern.empty() && !MatchesPattern(field.pattern, text)) {
    sink.Error(at, path, Quote(text) + " is not a valid " + std::string(what) + " here (must match " + field.pattern +
                             ")");
    return false;
  }
  return true;
}

std::string Expected(const FieldSpec& field) {
  switch (field.type) {
    case FieldType::kString: return "a string";
    case FieldType::kInt: return "an integer";
    case FieldType::kNumber: return "a number";
    case FieldType::kBool: return "a boolean (true or false)";
    case FieldType::kEnum: return "one of: " + JoinValues(field.enum_values);
    case FieldType::kSize: return "a size such as 32G";
    case FieldType::kObject: return "a map of keys";
    case FieldType::kList: return "a list";
    case FieldType::kMap: return "a map";
  }
  return "a value";
}

std::string Quote(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return "`" + Printable(text) + "`";
  size_t cut = kMax;  // never in the middle of a UTF-8 sequence
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "`" + Printable(text.substr(0, cut)) + "…`";
}

}  // namespace hainfra::spec
