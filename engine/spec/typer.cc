#include "engine/spec/typer.h"

#include <unordered_map>
#include <unordered_set>

#include "engine/spec/scalar.h"
#include "engine/spec/scalar_typer.h"
#include "engine/spec/suggest.h"

namespace hainfra::spec {
namespace {

void AppendEscaped(std::string& out, std::string_view key) {
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

// The objects, lists and maps of a body; scalars go to scalar_typer.cc. The JSON pointer of the field being
// typed is kept in one growing buffer, so recording a location costs one map insertion.
class Typer {
 public:
  Typer(TypeContext& ctx, std::string pointer)
      : ctx_(ctx), sink_{ctx.file, ctx.out}, locations_(&ctx.locations), pointer_(std::move(pointer)) {}

  std::optional<Value> Node(const YamlNode& node, const FieldSpec& field, const FieldPath& path) {
    if (node.invalid) return std::nullopt;
    switch (field.type) {
      case FieldType::kObject: return Object(node, field, path);
      case FieldType::kList: return List(node, field, path);
      case FieldType::kMap: return Map(node, field, path);
      default: return TypeScalar(node, field, path, sink_);
    }
  }

 private:
  // Appends a pointer segment for the lifetime of the scope.
  class Segment {
   public:
    Segment(std::string& pointer, std::string_view key) : pointer_(pointer), size_(pointer.size()) {
      pointer_ += '/';
      AppendEscaped(pointer_, key);
    }
    ~Segment() { pointer_.resize(size_); }
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

   private:
    std::string& pointer_;
    size_t size_;
  };

  void Record(Mark at) { (*locations_)[pointer_] = Location{ctx_.file, at.line, at.column}; }

  bool Expect(const YamlNode& node, YamlNode::Kind kind, const FieldSpec& field, const FieldPath& path) {
    if (node.kind == kind) return true;
    sink_.Error(node.at, path, "expected " + Expected(field) + ", got " + DescribeNode(node));
    return false;
  }

  std::optional<Value> Object(const YamlNode& node, const FieldSpec& field, const FieldPath& path) {
    if (!Expect(node, YamlNode::Kind::kMap, field, path)) return std::nullopt;
    Value out = Value::object();
    std::unordered_set<std::string> suggested;  // keys a misspelling was said to mean
    for (const YamlEntry& entry : node.entries) {
      const FieldSpec* sub = FindField(field, entry.key);
      if (sub == nullptr) {
        const std::string closest = ClosestMatch(entry.key, Names(field));
        sink_.Error(entry.key_at, path,
                    "unknown key " + Quote(entry.key) + (closest.empty() ? "" : " — did you mean `" + closest + "`?"));
        suggested.insert(closest);
        continue;
      }
      const FieldPath sub_path{&path, entry.key};
      const Segment segment(pointer_, entry.key);
      Record(entry.key_at);
      if (entry.value->kind == YamlNode::Kind::kNull && !entry.value->invalid) {
        // `key:` with nothing after it: point at the key, not at whatever line comes next.
        sink_.Error(entry.key_at, sub_path, "no value given (expected " + Expected(*sub) + ")");
        continue;
      }
      std::optional<Value> value = Node(*entry.value, *sub, sub_path);
      if (value) out[entry.key] = std::move(*value);
    }
    for (const FieldSpec& sub : field.fields) {
      if (!sub.required || out.contains(sub.name)) continue;
      if (HasKey(node, sub.name) || suggested.count(sub.name) != 0) continue;  // reported already
      sink_.Error(node.at, path, "missing required key `" + sub.name + "`" + RequiredHint(sub));
    }
    return out;
  }

  std::optional<Value> List(const YamlNode& node, const FieldSpec& field, const FieldPath& path) {
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
      const FieldPath item_path{&path, {}, static_cast<long>(i)};
      const Segment segment(pointer_, std::to_string(out.size()));
      // An entry dropped as a duplicate must not leave its locations behind: collect them aside.
      std::map<std::string, Location> item_locations;
      std::map<std::string, Location>* outer = locations_;
      locations_ = &item_locations;
      std::optional<Value> value = Node(item, element, item_path);
      locations_ = outer;
      if (!value) continue;
      if (std::string unique = UniquenessKey(field, *value); !unique.empty()) {
        auto [it, inserted] = seen.emplace(unique, item.at);
        if (!inserted) {
          const std::string what = field.key.empty() ? "entry" : field.key;
          sink_.Error(item.at, item_path, "duplicate " + what + " " + Quote(unique) + " in `" + field.name +
                                              "` (first written at line " + std::to_string(it->second.line) + ")");
          continue;
        }
      }
      Record(item.at);
      locations_->merge(item_locations);
      out.push_back(std::move(*value));
    }
    return out;
  }

  std::optional<Value> Map(const YamlNode& node, const FieldSpec& field, const FieldPath& path) {
    if (!Expect(node, YamlNode::Kind::kMap, field, path)) return std::nullopt;
    const FieldSpec& element = field.element.front();
    Value out = Value::object();
    for (const YamlEntry& entry : node.entries) {
      const FieldPath entry_path{&path, entry.key};
      if (!CheckText(entry.key, field, entry.key_at, entry_path, "key", sink_)) continue;
      const Segment segment(pointer_, entry.key);
      Record(entry.key_at);
      std::optional<Value> value = Node(*entry.value, element, entry_path);
      if (value) out[entry.key] = std::move(*value);
    }
    return out;
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
  TypeSink sink_;
  std::map<std::string, Location>* locations_;  // where Record() writes (swapped while typing list entries)
  std::string pointer_;                         // JSON pointer of the field being typed
};

}  // namespace

std::optional<Value> TypeNode(const YamlNode& node, const FieldSpec& field, const std::string& path,
                              const std::string& pointer, TypeContext& ctx) {
  Typer typer(ctx, pointer);
  const FieldPath root{nullptr, path};
  return typer.Node(node, field, root);
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
  AppendEscaped(out, key);
  return out;
}

}  // namespace hainfra::spec
