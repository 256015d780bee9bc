#include "providers/kinds/guest_list.h"

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

}  // namespace hainfra::providers
