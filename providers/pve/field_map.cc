#include "providers/pve/field_map.h"

#include "providers/pve/pve_values.h"

namespace hainfra::pve {
namespace {

Error Bad(std::string_view key, const Value& value, std::string_view what) {
  return Error{Code::kInternal, std::string(key) + ": " + value.dump() + " is not " + std::string(what)};
}

Result<Value> DecodeOne(const FieldMapping& m, const Value& value) {
  switch (m.spelling) {
    case Spelling::kText:
      if (value.is_structured()) return Fail(Bad(m.api, value, "text"));
      return Value(TextOf(value));
    case Spelling::kInt:
      if (auto n = IntOf(value)) return Value(*n);
      return Fail(Bad(m.api, value, "an integer"));
    case Spelling::kNumber:
      if (auto n = IntOf(value)) return Value(*n);
      if (auto d = NumberOf(value)) return Value(*d);
      return Fail(Bad(m.api, value, "a number"));
    case Spelling::kBool:
      if (auto b = BoolOf(value)) return Value(*b);
      return Fail(Bad(m.api, value, "a boolean"));
    case Spelling::kList:
    case Spelling::kSpaceList: {
      if (value.is_array()) return Value(StringsOf(value));
      return Value(SplitList(TextOf(value)));
    }
    case Spelling::kIntList: {
      Value out = Value::array();
      const std::vector<std::string> items = value.is_array() ? StringsOf(value) : SplitList(TextOf(value));
      for (const std::string& item : items) {
        auto n = IntOf(Value(item));
        if (!n) return Fail(Bad(m.api, value, "a list of integers"));
        out.push_back(*n);
      }
      return out;
    }
    case Spelling::kPrune: {
      Result<Value> prune = ParsePrune(value);
      if (!prune) return Fail(WithContext(prune.error(), m.api));
      return prune;
    }
    case Spelling::kNodes: {
      Result<std::map<std::string, int64_t>> nodes = ParseNodePriorities(TextOf(value));
      if (!nodes) return Fail(WithContext(nodes.error(), m.api));
      Value out = Value::object();
      for (const auto& [node, priority] : *nodes) out[node] = priority;
      return out;
    }
    case Spelling::kArray:
      if (value.is_array()) return Value(StringsOf(value));
      if (value.is_structured()) return Fail(Bad(m.api, value, "a list"));
      return Value::array({TextOf(value)});
  }
  return Fail(Bad(m.api, value, "understood"));
}

// The API spelling of one spec value; null when it is empty (left out).
Value EncodeOne(const FieldMapping& m, const Value& value) {
  switch (m.spelling) {
    case Spelling::kText: {
      std::string text = TextOf(value);
      return text.empty() ? Value() : Value(text);
    }
    case Spelling::kInt:
      if (auto n = IntOf(value)) return *n;
      return Value();
    case Spelling::kNumber:
      if (auto n = IntOf(value)) return *n;
      if (auto d = NumberOf(value)) return *d;
      return Value();
    case Spelling::kBool:
      if (auto b = BoolOf(value)) return *b;
      return Value();
    case Spelling::kList:
    case Spelling::kIntList: {
      std::string text = JoinList(StringsOf(value), ",");
      return text.empty() ? Value() : Value(text);
    }
    case Spelling::kSpaceList: {
      std::string text = JoinList(StringsOf(value), " ");
      return text.empty() ? Value() : Value(text);
    }
    case Spelling::kPrune: {
      std::string text = FormatPrune(value);
      return text.empty() ? Value() : Value(text);
    }
    case Spelling::kNodes: {
      std::string text = FormatNodePriorities(value);
      return text.empty() ? Value() : Value(text);
    }
    case Spelling::kArray: {
      const std::vector<std::string> items = StringsOf(value);
      return items.empty() ? Value() : Value(items);
    }
  }
  return Value();
}

}  // namespace

Result<Value> DecodeFields(const Value& object, FieldTable table) {
  Value out = Value::object();
  if (!object.is_object()) return out;
  for (const FieldMapping& m : table) {
    auto it = object.find(std::string(m.api));
    if (it == object.end() || it->is_null()) continue;
    Result<Value> value = DecodeOne(m, *it);
    if (!value) return Fail(value.error());
    out[std::string(m.spec)] = std::move(*value);
  }
  return out;
}

Value EncodeFields(const Value& body, FieldTable table) {
  Value out = Value::object();
  if (!body.is_object()) return out;
  for (const FieldMapping& m : table) {
    auto it = body.find(std::string(m.spec));
    if (it == body.end() || it->is_null()) continue;
    Value value = EncodeOne(m, *it);
    if (!value.is_null()) out[std::string(m.api)] = std::move(value);
  }
  return out;
}

std::vector<std::string> ApiKeysOf(std::string_view field, FieldTable table) {
  std::vector<std::string> out;
  for (const FieldMapping& m : table) {
    if (m.spec == field) out.emplace_back(m.api);
  }
  return out;
}

}  // namespace hainfra::pve
