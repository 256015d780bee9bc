#include "engine/plan/field_diff.h"

#include <charconv>
#include <optional>
#include <string>

#include "engine/plan/mask.h"
#include "engine/plan/size.h"

namespace hainfra::plan {
namespace {

struct Flags {
  bool force_new = false;
  bool reboot = false;
  bool secret = false;

  Flags With(const FieldSpec& spec) const {
    return {force_new || spec.force_new, reboot || spec.reboot, secret || spec.secret};
  }
};

std::string EscapePointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string Text(const Value& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::optional<double> Number(const Value& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.empty()) return std::nullopt;
  double n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// Proxmox spells booleans 0/1; YAML and people spell them true/false/yes/no/on/off.
std::optional<bool> Truth(const Value& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() || value.is_number_unsigned()) {
    const int64_t n = value.get<int64_t>();
    if (n == 0 || n == 1) return n == 1;
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return std::nullopt;
}

bool SameScalar(FieldType type, const Value& a, const Value& b) {
  if (a.is_structured() || b.is_structured()) return a == b;
  switch (type) {
    case FieldType::kSize: {
      auto x = ParseSize(a), y = ParseSize(b);
      if (x && y) return *x == *y;
      break;
    }
    case FieldType::kInt:
    case FieldType::kNumber: {
      if ((a.is_number_integer() || a.is_number_unsigned()) && (b.is_number_integer() || b.is_number_unsigned())) {
        return a.get<int64_t>() == b.get<int64_t>();
      }
      auto x = Number(a), y = Number(b);
      if (x && y) return *x == *y;
      break;
    }
    case FieldType::kBool: {
      auto x = Truth(a), y = Truth(b);
      if (x && y) return *x == *y;
      break;
    }
    default:
      break;
  }
  return Text(a) == Text(b);
}

// Walks desired and observed together and appends the differences.
class Differ {
 public:
  Differ(bool creating, std::vector<FieldChange>& out) : creating_(creating), out_(out) {}

  void Object(const FieldSpec& spec, const Value& desired, const Value& observed, const std::string& path,
              const std::string& pointer, Flags flags) {
    for (const FieldSpec& field : spec.fields) {
      if (!field.managed) continue;
      auto d = desired.find(field.name);
      if (d == desired.end()) continue;  // not written: not managed
      const Value* o = nullptr;
      if (observed.is_object()) {
        auto it = observed.find(field.name);
        if (it != observed.end()) o = &*it;
      }
      Field(field, *d, o, path.empty() ? field.name : path + "." + field.name,
            pointer + "/" + EscapePointer(field.name), flags.With(field));
    }
  }

  void Field(const FieldSpec& spec, const Value& desired, const Value* observed, const std::string& path,
             const std::string& pointer, Flags flags) {
    if (observed == nullptr || observed->is_null()) {
      // Proxmox never reports most secrets back: a secret it does not show cannot be compared.
      if (flags.secret && !creating_) return;
      if (!desired.is_null()) Emit(spec, path, pointer, Value(), desired, flags);
      return;
    }
    switch (spec.type) {
      case FieldType::kObject:
        if (desired.is_object() && observed->is_object()) {
          Object(spec, desired, *observed, path, pointer, flags);
          return;
        }
        break;
      case FieldType::kList:
        if (desired.is_array() && observed->is_array()) {
          if (!spec.key.empty()) KeyedList(spec, desired, *observed, path, pointer, flags);
          else if (spec.set) SetList(spec, desired, *observed, path, pointer, flags);
          else OrderedList(spec, desired, *observed, path, pointer, flags);
          return;
        }
        break;
      case FieldType::kMap:
        if (desired.is_object() && observed->is_object()) {
          Map(spec, desired, *observed, path, pointer, flags);
          return;
        }
        break;
      default:
        if (SameScalar(spec.type, desired, *observed)) return;
        break;
    }
    if (desired != *observed) Emit(spec, path, pointer, *observed, desired, flags);
  }

 private:
  static const FieldSpec& Element(const FieldSpec& spec) {
    static const FieldSpec kUntyped{};  // a string: compared as text
    return spec.element.empty() ? kUntyped : spec.element.front();
  }

  static std::string KeyOf(const FieldSpec& spec, const Value& entry) {
    if (!entry.is_object()) return Text(entry);
    auto it = entry.find(spec.key);
    return it == entry.end() ? std::string() : Text(*it);
  }

  void KeyedList(const FieldSpec& spec, const Value& desired, const Value& observed, const std::string& path,
                 const std::string& pointer, Flags flags) {
    const FieldSpec& element = Element(spec);
    std::vector<bool> matched(observed.size(), false);
    for (size_t i = 0; i < desired.size(); ++i) {
      const std::string key = KeyOf(spec, desired[i]);
      const std::string entry_path = path + "[" + key + "]";
      const std::string entry_pointer = pointer + "/" + std::to_string(i);
      const Value* twin = nullptr;
      for (size_t j = 0; j < observed.size(); ++j) {
        if (!matched[j] && KeyOf(spec, observed[j]) == key) {
          matched[j] = true;
          twin = &observed[j];
          break;
        }
      }
      if (twin == nullptr) {
        Emit(element, entry_path, entry_pointer, Value(), desired[i], flags);
      } else if (element.type == FieldType::kObject && desired[i].is_object() && twin->is_object()) {
        Object(element, desired[i], *twin, entry_path, entry_pointer, flags.With(element));
      } else {
        Field(element, desired[i], twin, entry_path, entry_pointer, flags.With(element));
      }
    }
    if (!spec.whole) return;
    for (size_t j = 0; j < observed.size(); ++j) {
      if (!matched[j]) Emit(element, path + "[" + KeyOf(spec, observed[j]) + "]", pointer, observed[j], Value(), flags);
    }
  }

  void SetList(const FieldSpec& spec, const Value& desired, const Value& observed, const std::string& path,
               const std::string& pointer, Flags flags) {
    const FieldSpec& element = Element(spec);
    std::vector<bool> matched(observed.size(), false);
    bool same = true;
    for (const Value& want : desired) {
      bool found = false;
      for (size_t j = 0; j < observed.size() && !found; ++j) {
        if (!matched[j] && SameValue(element, want, observed[j])) matched[j] = found = true;
      }
      same = same && found;
    }
    if (spec.whole) {
      for (bool m : matched) same = same && m;
    }
    if (!same) Emit(spec, path, pointer, observed, desired, flags);
  }

  void OrderedList(const FieldSpec& spec, const Value& desired, const Value& observed, const std::string& path,
                   const std::string& pointer, Flags flags) {
    bool same = desired.size() == observed.size();
    for (size_t i = 0; same && i < desired.size(); ++i) same = SameValue(Element(spec), desired[i], observed[i]);
    if (!same) Emit(spec, path, pointer, observed, desired, flags);
  }

  void Map(const FieldSpec& spec, const Value& desired, const Value& observed, const std::string& path,
           const std::string& pointer, Flags flags) {
    const FieldSpec& element = Element(spec);
    for (auto it = desired.begin(); it != desired.end(); ++it) {
      auto twin = observed.find(it.key());
      Field(element, it.value(), twin == observed.end() ? nullptr : &*twin, path + "[" + it.key() + "]",
            pointer + "/" + EscapePointer(it.key()), flags.With(element));
    }
    if (!spec.whole) return;
    for (auto it = observed.begin(); it != observed.end(); ++it) {
      if (!desired.contains(it.key())) Emit(element, path + "[" + it.key() + "]", pointer, it.value(), Value(), flags);
    }
  }

  void Emit(const FieldSpec& spec, const std::string& path, const std::string& pointer, Value before, Value after,
            Flags flags) {
    FieldChange change;
    change.path = path;
    change.pointer = pointer;
    if (flags.secret) {
      if (!before.is_null()) before = std::string(kSensitive);
      if (!after.is_null()) after = std::string(kSensitive);
    } else {
      MaskSecrets(spec, before);
      MaskSecrets(spec, after);
    }
    change.before = std::move(before);
    change.after = std::move(after);
    change.force_new = flags.force_new;
    change.reboot = flags.reboot;
    change.secret = flags.secret;
    out_.push_back(std::move(change));
  }

  bool creating_;
  std::vector<FieldChange>& out_;
};

}  // namespace

void DiffFields(const FieldSpec& body, const Value& desired, const Value& observed, bool creating,
                std::vector<FieldChange>& out) {
  if (!desired.is_object()) return;
  Differ(creating, out).Object(body, desired, observed, "", "", Flags{});
}

bool SameValue(const FieldSpec& spec, const Value& desired, const Value& observed) {
  std::vector<FieldChange> scratch;
  Differ(false, scratch).Field(spec, desired, &observed, "", "", Flags{}.With(spec));
  return scratch.empty();
}

}  // namespace hainfra::plan
