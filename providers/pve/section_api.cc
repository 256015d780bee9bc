#include "providers/pve/section_api.h"

#include <chrono>

#include "engine/plan/fingerprint.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::pve {
namespace {

// Tries of a PUT that lost a digest race against another writer of the same file.
constexpr int kDigestTries = 6;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

bool IsDigestMismatch(const Error& error) { return Contains(error.message, "detected modified configuration"); }

SectionApi::SectionApi(transport::ApiClient& api, SectionEndpoint endpoint)
    : api_(api), endpoint_(std::move(endpoint)) {}

std::string SectionApi::ItemPath(const std::string& id) const {
  return endpoint_.collection + transport::ApiPath({id});
}

Result<std::vector<Value>> SectionApi::List(const Value& query) const {
  Result<Value> data = api_.Get(endpoint_.collection, query);
  if (!data) return Fail(data.error());
  if (!data->is_array()) {
    return Fail(Code::kInternal, "GET " + endpoint_.collection + ": expected a list, got " +
                                     std::string(data->type_name()));
  }
  std::vector<Value> out;
  out.reserve(data->size());
  for (Value& item : *data) {
    if (item.is_object()) out.push_back(std::move(item));
  }
  return out;
}

Result<Value> SectionApi::Read(const std::string& id) const {
  Result<Value> data = api_.Get(ItemPath(id));
  if (!data) return Fail(data.error());
  if (!data->is_object()) return Fail(Code::kNotFound, "GET " + ItemPath(id) + ": no such object");
  return data;
}

Status SectionApi::Create(const std::string& id, Value params) const {
  if (endpoint_.create_at_item) {
    Result<Value> done = api_.Post(ItemPath(id), params);
    if (!done) return Fail(done.error());
    return Ok();
  }
  params[endpoint_.id_key] = id;
  Result<Value> done = api_.Post(endpoint_.collection, params);
  if (!done) return Fail(done.error());
  return Ok();
}

std::string SectionApi::VersionOf(const Value& object) const {
  Value own = object;
  own.erase("digest");
  for (const std::string& key : endpoint_.volatile_keys) own.erase(key);
  return plan::Fingerprint(own);
}

Status SectionApi::Update(const std::string& id, Value params, const std::vector<std::string>& remove,
                          const UpdateCheck& check) const {
  if (!remove.empty()) params["delete"] = endpoint_.delete_as_array ? Value(remove) : Value(JoinList(remove));
  for (int attempt = 1;; ++attempt) {
    Result<Value> current = Read(id);
    if (!current) return Fail(current.error());
    if (check) {
      Result<bool> write = check(*current);
      if (!write) return Fail(write.error());
      if (!*write) return Ok();
    }
    transport::Request request;
    request.method = transport::Method::kPut;
    request.path = ItemPath(id);
    request.params = params;
    if (endpoint_.update_digest) {
      const std::string digest = TextOf(current->value("digest", Value()));
      if (!digest.empty()) request.params["digest"] = digest;
      // A digest race is ours to resolve (read again), not the transport's to repeat verbatim.
      request.idempotent = false;
    }
    Result<Value> done = api_.Send(request);
    if (done) return Ok();
    if (!endpoint_.update_digest || !IsDigestMismatch(done.error()) || attempt >= kDigestTries) {
      return Fail(done.error());
    }
    api_.Sleep(std::chrono::milliseconds(50 * attempt));
  }
}

Status SectionApi::Remove(const std::string& id, const Value& params) const {
  Result<Value> done = api_.Delete(ItemPath(id), params);
  if (done) return Ok();
  if (done.error().code == Code::kNotFound) return Ok();
  for (const std::string& gone : endpoint_.gone_messages) {
    if (Contains(done.error().message, gone)) return Ok();
  }
  return Fail(done.error());
}

}  // namespace hainfra::pve
