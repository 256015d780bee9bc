#include "providers/kinds/guest_list.h"

#include "engine/plan/fingerprint.h"
#include "providers/kinds/vm_config.h"

namespace hainfra::providers {

Result<Value> GuestList::Read(const std::string& consumer) {
  constexpr std::chrono::seconds kFresh{3};
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (last_ && !consumed_.contains(consumer) && now - read_at_ <= kFresh) {
    consumed_.insert(consumer);
    return *last_;
  }
  if (api_ == nullptr) return Fail(Code::kFailedPrecondition, "no API connection to list guests with");
  auto list = api_->Get("/cluster/resources", Value{{"type", "vm"}});
  if (!list) {
    last_.reset();
    return list;
  }
  last_ = *list;
  read_at_ = std::chrono::steady_clock::now();
  consumed_ = {consumer};
  return list;
}

std::map<std::string, Value> GuestsOfType(const Value& list, std::string_view type, const std::string& kind,
                                          const std::vector<Resource>& desired, std::vector<Observed>& out) {
  std::set<std::string> declared;
  for (const Resource& r : desired) declared.insert(r.address.name);
  std::map<std::string, Value> guests;
  if (!list.is_array()) return guests;
  for (const Value& entry : list) {
    if (!entry.contains("vmid")) continue;
    const std::string vmid = vm::ConfigText(entry["vmid"]);
    if (entry.value("type", "") == type) {
      guests[vmid] = entry;
    } else if (declared.contains(vmid)) {
      Observed o;
      o.address = {kind, vmid};
      o.body = {{"vmid", entry["vmid"]}, {"node", entry.value("node", "")}, {"guest_type", entry.value("type", "")}};
      o.version = plan::Fingerprint(o.body);
      out.push_back(std::move(o));
    }
  }
  return guests;
}

Observed ObservedGuest(const std::string& kind, const std::string& vmid, Value body, const Value& config) {
  Observed o;
  o.address = {kind, vmid};
  o.body = std::move(body);
  o.version = config.value("digest", "");
  if (o.version.empty()) o.version = plan::Fingerprint(o.body);
  o.owned = vm::HasOwnerTag(config.contains("tags") ? vm::ConfigText(config["tags"]) : "");
  return o;
}

}  // namespace hainfra::providers
