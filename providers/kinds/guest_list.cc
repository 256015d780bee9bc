#include "providers/kinds/guest_list.h"

#include <thread>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/vm_config.h"
#include "providers/transport/api_error.h"

namespace hainfra::providers {

std::optional<Value> GuestSnapshot::Config(pve::GuestType type, const std::string& node,
                                           const std::string& vmid) const {
  if (!files) return std::nullopt;
  const std::string path =
      "nodes/" + node + (type == pve::GuestType::kQemu ? "/qemu-server/" : "/lxc/") + vmid + ".conf";
  auto it = files->files.find(path);
  if (it == files->files.end()) return std::nullopt;
  return pve::GuestConfigAnswer(pve::ParseGuestConf(it->second, type), type);
}

std::shared_ptr<const PmxcfsFiles> GuestList::ReadFiles(const std::string& consumer) {
  if (pmxcfs_ == nullptr || !pmxcfs_->enabled()) return nullptr;
  auto files = pmxcfs_->Files("guests:" + consumer);
  if (!files) {
    if (api_ != nullptr) {
      api_->Log(transport::LogLevel::kWarning,
                "guest configs are read over the API (one request per guest): the bulk read of /etc/pve over SSH "
                "failed: " + files.error().message);
    }
    return nullptr;
  }
  if (*files != nullptr && api_ != nullptr) {
    size_t guests = 0;
    for (const auto& [path, content] : (*files)->files) {
      if (path.starts_with("nodes/") && path.ends_with(".conf")) ++guests;
    }
    api_->Log(transport::LogLevel::kProgress,
              "guest configs read from /etc/pve in one SSH command on " + (*files)->node + " (" +
                  std::to_string(guests) + " files); run state and placement from the API");
  }
  return *files;
}

Result<Value> GuestList::Read(const std::string& consumer) {
  auto snapshot = ReadWithFiles(consumer);
  if (!snapshot) return Fail(snapshot.error());
  return std::move(snapshot->list);
}

Result<GuestSnapshot> GuestList::ReadWithFiles(const std::string& consumer) {
  constexpr std::chrono::seconds kFresh{3};
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (last_ && !consumed_.contains(consumer) && now - read_at_ <= kFresh) {
    consumed_.insert(consumer);
    return GuestSnapshot{*last_, last_files_};
  }
  if (api_ == nullptr) return Fail(Code::kFailedPrecondition, "no API connection to list guests with");
  // The files are read while the list is: one SSH round trip beside one API round trip.
  std::shared_ptr<const PmxcfsFiles> files;
  std::thread bulk;
  if (pmxcfs_ != nullptr && pmxcfs_->enabled()) bulk = std::thread([&] { files = ReadFiles(consumer); });
  auto list = api_->Get("/cluster/resources", Value{{"type", "vm"}});
  if (bulk.joinable()) bulk.join();
  if (!list) {
    last_.reset();
    last_files_.reset();
    return Fail(list.error());
  }
  last_ = *list;
  last_files_ = files;
  read_at_ = std::chrono::steady_clock::now();
  consumed_ = {consumer};
  return GuestSnapshot{std::move(*list), std::move(files)};
}

Result<std::optional<Value>> GuestList::ReadConfigWhereItIs(
    const std::string& vmid, Value& entry, const std::function<Result<Value>(const std::string& node)>& read) {
  constexpr int kAttempts = 4;
  for (int attempt = 1;; ++attempt) {
    auto config = read(entry.value("node", ""));
    if (config) return std::optional<Value>(std::move(*config));
    if (attempt == kAttempts || api_ == nullptr || !transport::IsGone(config.error())) return Fail(config.error());
    // pmxcfs moves the file first and the list follows within a moment: a short pause after the first retry.
    if (attempt > 1) std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    auto fresh = api_->Get("/cluster/resources", Value{{"type", "vm"}});
    if (!fresh) return Fail(WithContext(fresh.error(), "guest " + vmid + " moved while it was read; listing guests"));
    const Value* found = nullptr;
    if (fresh->is_array()) {
      for (const Value& e : *fresh) {
        if (e.is_object() && std::to_string(e.value("vmid", 0)) == vmid) found = &e;
      }
    }
    if (found == nullptr) return std::optional<Value>();
    api_->Log(transport::LogLevel::kProgress, "guest " + vmid + " moved from " + entry.value("node", "") + " to " +
                                                  found->value("node", "") + " while it was read; reading it there");
    entry = *found;
  }
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
