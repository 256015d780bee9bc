#include "engine/spec/typer.h"

#include <mutex>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "engine/spec/scalar.h"
#include "engine/spec/secrets.h"
#include "engine/spec/suggest.h"
#include "engine/spec/text_scan.h"
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

std::string Quote(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return "`" + std::string(text) + "`";
  return "`" + std::string(text.substr(0, kMax)) + "…`";
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

class Typer {
 public:
  explicit Typer(TypeContext& ctx) : ctx_(ctx), locations_(&ctx.locations) {}

  std::optional<Value> Node(const YamlNode& node, const FieldSpec& field, const std::string& path,
                            const std::string& pointer) {
    if (node.invalid) return std::nullopt;
    switch (field.type) {
      case FieldType::kObject: return Object(node, field, path, pointer);
      case FieldType::kList: return List(node, field, path, pointer);
      case FieldType::kMap: return Map(node, field, path, pointer);
      default: return ScalarValue(node, field, path);
    }
  }

 private:
  void Error(Mark at, const std::string& path, std::string message) {
    AddError(ctx_.out, ctx_.file, at, path, std::move(message));
  }

  void Record(const std::string& pointer, Mark at) {
    (*locations_)[pointer] = Location{ctx_.file, at.line, at.column};
  }

  bool Expect(const YamlNode& node, YamlNode::Kind kind, const FieldSpec& field, const std::string& path) {
    if (node.kind == kind) return true;
    Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
    return false;
  }

  std::optional<Value> Object(const YamlNode& node, const FieldSpec& field, const std::string& path,
                              const std::string& pointer) {
    if (!Expect(node, YamlNode::Kind::kMap, field, path)) return std::nullopt;
    Value out = Value::object();
    std::unordered_set<std::string> suggested;  // keys a misspelling was said to mean
    for (const YamlEntry& entry : node.entries) {
      const FieldSpec* sub = FindField(field, entry.key);
      if (sub == nullptr) {
        const std::string closest = ClosestMatch(entry.key, Names(field));
        Error(entry.key_at, path,
              "unknown key " + Quote(entry.key) + (closest.empty() ? "" : " — did you mean `" + closest + "`?"));
        suggested.insert(closest);
        continue;
      }
      const std::string sub_pointer = pointer + "/" + EscapePointer(entry.key);
      const std::string sub_path = path.empty() ? entry.key : path + "." + entry.key;
      Record(sub_pointer, entry.key_at);
      if (entry.value->kind == YamlNode::Kind::kNull && !entry.value->invalid) {
        // `key:` with nothing after it: point at the key, not at whatever line comes next.
        Error(entry.key_at, sub_path, "no value given (expected " + Expected(*sub) + ")");
        continue;
      }
      std::optional<Value> value = Node(*entry.value, *sub, sub_path, sub_pointer);
      if (value) out[entry.key] = std::move(*value);
    }
    for (const FieldSpec& sub : field.fields) {
      if (!sub.required || out.contains(sub.name)) continue;
      if (HasKey(node, sub.name) || suggested.count(sub.name) != 0) continue;  // reported already
      Error(node.at, path, "missing required key `" + sub.name + "`" + RequiredHint(sub));
    }
    return out;
  }

  std::optional<Value> List(const YamlNode& node, const FieldSpec& field, const std::string& path,
                            const std::string& pointer) {
    if (!Expect(node, YamlNode::Kind::kSequence, field, path)) {
      if (node.kind == YamlNode::Kind::kScalar) {
        ctx_.out.back().message += " (a list is written [a, b] or as `- a` lines)";
      }
      return std::nullopt;
    }
    const FieldSpec& element = field.element.front();
    Value out = Value::array();
    std::unordered_map<std::string, Mark> seen;  // key or set values already written
    for (size_t i = 0; i < node.items.size(); ++i) {
      const YamlNode& item = *node.items[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const std::string item_pointer = pointer + "/" + std::to_string(out.size());
      // An entry dropped as a duplicate must not leave its locations behind: collect them aside.
      std::map<std::string, Location> item_locations;
      std::map<std::string, Location>* outer = locations_;
      locations_ = &item_locations;
      std::optional<Value> value = Node(item, element, item_path, item_pointer);
      locations_ = outer;
      if (!value) continue;
      if (std::string unique = UniquenessKey(field, *value); !unique.empty()) {
        auto [it, inserted] = seen.emplace(unique, item.at);
        if (!inserted) {
          const std::string what = field.key.empty() ? "entry" : field.key;
          Error(item.at, item_path, "duplicate " + what + " " + Quote(unique) + " in `" + field.name +
                                        "` (first written at line " + std::to_string(it->second.line) + ")");
          continue;
        }
      }
      Record(item_pointer, item.at);
      locations_->merge(item_locations);
      out.push_back(std::move(*value));
    }
    return out;
  }

  std::optional<Value> Map(const YamlNode& node, const FieldSpec& field, const std::string& path,
                           const std::string& pointer) {
    if (!Expect(node, YamlNode::Kind::kMap, field, path)) return std::nullopt;
    const FieldSpec& element = field.element.front();
    Value out = Value::object();
    for (const YamlEntry& entry : node.entries) {
      const std::string entry_path = path + "." + entry.key;
      if (!CheckText(entry.key, field, entry.key_at, entry_path, "key")) continue;
      const std::string entry_pointer = pointer + "/" + EscapePointer(entry.key);
      Record(entry_pointer, entry.key_at);
      std::optional<Value> value = Node(*entry.value, element, entry_path, entry_pointer);
      if (value) out[entry.key] = std::move(*value);
    }
    return out;
  }

  std::optional<Value> ScalarValue(const YamlNode& node, const FieldSpec& field, const std::string& path) {
    if (node.kind == YamlNode::Kind::kNull) {
      Error(node.at, path, "no value given (expected " + Expected(field) + ")");
      return std::nullopt;
    }
    if (node.kind != YamlNode::Kind::kScalar) {
      Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
      return std::nullopt;
    }
    const Scalar scalar = node.plain ? ResolvePlain(node.text) : Scalar{};
    switch (field.type) {
      case FieldType::kString:
      case FieldType::kEnum: return Text(node, scalar, field, path);
      case FieldType::kBool: return Boolean(node, scalar, path);
      case FieldType::kInt:
      case FieldType::kNumber: return Numeric(node, scalar, field, path);
      case FieldType::kSize: return SizeValue(node, scalar, field, path);
      default: return std::nullopt;
    }
  }

  std::optional<Value> Text(const YamlNode& node, const Scalar& scalar, const FieldSpec& field,
                            const std::string& path) {
    if (scalar.type != ScalarType::kString) {
      Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node) + " — write it in quotes: \"" +
                               node.text + "\"");
      return std::nullopt;
    }
    if (!IsCleanText(node.text)) {
      Error(node.at, path, "contains a control character or an escape that is not valid UTF-8");
      return std::nullopt;
    }
    if (field.type == FieldType::kEnum) {
      for (const std::string& v : field.enum_values) {
        if (v == node.text) return Value(node.text);
      }
      Error(node.at, path, Quote(node.text) + " is not one of: " + JoinValues(field.enum_values) +
                               DidYouMean(node.text, field.enum_values));
      return std::nullopt;
    }
    if (LooksLikeSecretReference(node.text)) {
      if (!field.secret && field.managed) {
        Error(node.at, path, "secret references (${env:...}, ${file:...}) are allowed only in secret fields");
        return std::nullopt;
      }
      if (Status ok = CheckSecretReference(node.text); !ok) {
        Error(node.at, path, ok.error().message);
        return std::nullopt;
      }
      return Value(node.text);
    }
    if (field.secret) {
      Diagnostic d;
      d.severity = Severity::kWarning;
      d.where = Location{ctx_.file, node.at.line, node.at.column};
      d.field = path;
      d.message = path + ": secret written in plain text; prefer ${env:NAME} or ${file:PATH}";
      ctx_.out.push_back(std::move(d));
    }
    if (!CheckText(node.text, field, node.at, path, "value")) return std::nullopt;
    return Value(node.text);
  }

  // Length, named format and pattern of a string value or a map key.
  bool CheckText(const std::string& text, const FieldSpec& field, Mark at, const std::string& path,
                 std::string_view what) {
    if (!IsCleanText(text)) {
      Error(at, path, "contains a control character or an escape that is not valid UTF-8");
      return false;
    }
    if (field.max_length && CodePoints(text) > *field.max_length) {
      Error(at, path, "is longer than " + std::to_string(*field.max_length) + " characters");
      return false;
    }
    if (!field.format.empty()) {
      const schemas::FormatSpec* format = schemas::FindFormat(field.format);
      if (format != nullptr && !format->check(text)) {
        Error(at, path, Quote(text) + " is not " + std::string(format->what));
        return false;
      }
    }
    if (!field.pattern.empty() && text.size() > kMaxPatternInput) {
      Error(at, path, "is longer than " + std::to_string(kMaxPatternInput) + " characters");
      return false;
    }
    if (!field.pattern.empty() && !MatchesPattern(field.pattern, text)) {
      Error(at, path, Quote(text) + " is not a valid " + std::string(what) + " here (must match " +
                          field.pattern + ")");
      return false;
    }
    return true;
  }

  std::optional<Value> Boolean(const YamlNode& node, const Scalar& scalar, const std::string& path) {
    if (scalar.type == ScalarType::kBool && node.plain) return Value(scalar.boolean);
    static const std::unordered_set<std::string> kYaml11 = {"yes", "no",  "on",  "off", "Yes", "No",
                                                            "On",  "Off", "YES", "NO",  "ON",  "OFF", "y", "n"};
    if (node.plain && kYaml11.count(node.text) != 0) {
      Error(node.at, path, Quote(node.text) + " is not a boolean here: write true or false");
    } else {
      Error(node.at, path, "expected a boolean (true or false), got " + DescribeNode(node));
    }
    return std::nullopt;
  }

  std::optional<Value> Numeric(const YamlNode& node, const Scalar& scalar, const FieldSpec& field,
                               const std::string& path) {
    const bool is_int = scalar.type == ScalarType::kInt && node.plain;
    const bool is_number = scalar.type == ScalarType::kNumber && node.plain;
    if (!is_int && !(is_number && field.type == FieldType::kNumber)) {
      Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
      return std::nullopt;
    }
    if (scalar.overflow) {
      Error(node.at, path, Quote(node.text) + " is out of range");
      return std::nullopt;
    }
    const double value = is_int ? static_cast<double>(scalar.integer) : scalar.number;
    if (!InRange(node, field, path, value, node.text)) return std::nullopt;
    return is_int ? Value(scalar.integer) : Value(scalar.number);
  }

  std::optional<Value> SizeValue(const YamlNode& node, const Scalar& scalar, const FieldSpec& field,
                                 const std::string& path) {
    int64_t bytes = 0;
    if (node.plain && scalar.type == ScalarType::kInt) {
      if (scalar.overflow) {
        Error(node.at, path, Quote(node.text) + " is out of range");
        return std::nullopt;
      }
      bytes = scalar.integer;
    } else if (!schemas::ParseSize(node.text, bytes)) {
      Error(node.at, path, Quote(node.text) + " is not a size: a number with an optional K, M, G or T (e.g. 32G)");
      return std::nullopt;
    }
    if (!InRange(node, field, path, static_cast<double>(bytes), node.text)) return std::nullopt;
    if (node.plain && scalar.type == ScalarType::kInt) return Value(scalar.integer);
    return Value(node.text);
  }

  bool InRange(const YamlNode& node, const FieldSpec& field, const std::string& path, double value,
               const std::string& text) {
    if (field.min && value < static_cast<double>(*field.min)) {
      Error(node.at, path, "must be at least " + std::to_string(*field.min) + ", got " + text);
      return false;
    }
    if (field.max && value > static_cast<double>(*field.max)) {
      Error(node.at, path, "must be at most " + std::to_string(*field.max) + ", got " + text);
      return false;
    }
    return true;
  }

  // The text that must be unique among a list's entries: the key of a keyed list, the value of a set.
  static std::string UniquenessKey(const FieldSpec& list, const Value& value) {
    if (!list.key.empty()) {
      if (!value.is_object() || !value.contains(list.key)) return "";
      const Value& k = value[list.key];
      return k.is_string() ? k.get<std::string>() : k.dump();
    }
    if (list.set && (value.is_string() || value.is_number_integer())) {
      return value.is_string() ? value.get<std::string>() : value.dump();
    }
    return "";
  }

  static std::vector<std::string> Names(const FieldSpec& object) {
    std::vector<std::string> names;
    names.reserve(object.fields.size());
    for (const FieldSpec& f : object.fields) names.push_back(f.name);
    return names;
  }

  static bool HasKey(const YamlNode& node, const std::string& key) {
    for (const YamlEntry& e : node.entries) {
      if (e.key == key) return true;
    }
    return false;
  }

  static std::string RequiredHint(const FieldSpec& field) {
    return field.example.empty() ? "" : " (e.g. " + field.name + ": " + field.example + ")";
  }

  TypeContext& ctx_;
  std::map<std::string, Location>* locations_;  // where Record() writes (swapped while typing list entries)
};

}  // namespace

std::optional<Value> TypeNode(const YamlNode& node, const FieldSpec& field, const std::string& path,
                              const std::string& pointer, TypeContext& ctx) {
  Typer typer(ctx);
  return typer.Node(node, field, path, pointer);
}

void AddError(Diagnostics& out, const std::string& file, Mark at, const std::string& path, std::string message) {
  Diagnostic d;
  d.where = Location{file, at.line, at.column};
  d.field = path;
  d.message = path.empty() ? std::move(message) : path + ": " + message;
  out.push_back(std::move(d));
}

std::string DescribeNode(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::kNull: return "nothing (null)";
    case YamlNode::Kind::kSequence: return "a list";
    case YamlNode::Kind::kMap: return "a map";
    case YamlNode::Kind::kScalar: break;
  }
  if (!node.plain) return "the string " + Quote(node.text);
  const Scalar s = ResolvePlain(node.text);
  switch (s.type) {
    case ScalarType::kBool: return "the boolean " + node.text;
    case ScalarType::kInt: return "the integer " + node.text;
    case ScalarType::kNumber: return "the number " + node.text;
    case ScalarType::kNull: return "nothing (null)";
    case ScalarType::kString: break;
  }
  return "the string " + Quote(node.text);
}

std::string EscapePointer(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hainfra::spec
