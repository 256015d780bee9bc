#include "engine/spec/secrets.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/spec/typer.h"

namespace hainfra::spec {
namespace {

constexpr std::string_view kEnvPrefix = "${env:";
constexpr std::string_view kFilePrefix = "${file:";

bool IsNameChar(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return alpha || (!first && c >= '0' && c <= '9');
}

}  // namespace

bool LooksLikeSecretReference(std::string_view value) { return value.substr(0, 2) == "${"; }

Status CheckSecretReference(std::string_view value) {
  if (value.empty() || value.back() != '}') {
    return Fail(Code::kInvalidArgument, "a secret reference ends with `}`: ${env:NAME} or ${file:PATH}");
  }
  if (value.substr(0, kEnvPrefix.size()) == kEnvPrefix) {
    const std::string_view name = value.substr(kEnvPrefix.size(), value.size() - kEnvPrefix.size() - 1);
    if (name.empty()) return Fail(Code::kInvalidArgument, "${env:} needs a variable name");
    for (size_t i = 0; i < name.size(); ++i) {
      if (!IsNameChar(name[i], i == 0)) {
        return Fail(Code::kInvalidArgument,
                    "`" + std::string(name) + "` is not an environment variable name (letters, digits, '_')");
      }
    }
    return Ok();
  }
  if (value.substr(0, kFilePrefix.size()) == kFilePrefix) {
    if (value.size() == kFilePrefix.size() + 1) return Fail(Code::kInvalidArgument, "${file:} needs a path");
    return Ok();
  }
  return Fail(Code::kInvalidArgument, "unknown secret reference: use ${env:NAME} or ${file:PATH}");
}

Result<std::string> ResolveSecret(std::string_view value) {
  if (!LooksLikeSecretReference(value)) return std::string(value);
  if (Status ok = CheckSecretReference(value); !ok) return Fail(ok.error());
  if (value.substr(0, kEnvPrefix.size()) == kEnvPrefix) {
    const std::string name(value.substr(kEnvPrefix.size(), value.size() - kEnvPrefix.size() - 1));
    const char* set = std::getenv(name.c_str());
    if (set == nullptr) return Fail(Code::kNotFound, "environment variable " + name + " is not set");
    if (*set == '\0') return Fail(Code::kInvalidArgument, "environment variable " + name + " is empty");
    return std::string(set);
  }
  std::string path(value.substr(kFilePrefix.size(), value.size() - kFilePrefix.size() - 1));
  if (path.substr(0, 2) == "~/") {
    const char* home = std::getenv("HOME");
    if (home == nullptr) return Fail(Code::kNotFound, "secret file " + path + ": HOME is not set");
    path = std::string(home) + path.substr(1);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Code::kNotFound, "cannot read secret file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return Fail(Code::kInvalidArgument, "secret file " + path + " is empty");
  return secret;
}

namespace {

void CollectReferences(const Value& v, const std::string& pointer,
                       std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_string()) {
    if (LooksLikeSecretReference(v.get_ref<const std::string&>())) out.emplace_back(pointer, v.get<std::string>());
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) CollectReferences(it.value(), pointer + "/" + EscapePointer(it.key()), out);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) CollectReferences(v[i], pointer + "/" + std::to_string(i), out);
  }
}

}  // namespace

Diagnostics CheckSecretsResolve(const Spec& spec) {
  Diagnostics out;
  for (const Resource& r : spec.objects) {
    std::vector<std::pair<std::string, std::string>> references;
    CollectReferences(r.body, "", references);
    for (const auto& [pointer, reference] : references) {
      Result<std::string> value = ResolveSecret(reference);
      if (value) continue;
      Diagnostic d;
      d.where = r.LocationOf(pointer);
      d.field = r.address.ToString() + pointer;
      d.message = r.address.ToString() + ": " + value.error().message;
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace hainfra::spec
