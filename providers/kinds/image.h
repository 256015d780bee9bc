// The image kind (`image/<name>`, section `images`): container templates from the appliance index, ISO
// images and disk images to import, downloaded by URL with a checksum, on a shared storage or on each
// node's local storage. Observed from the storages' content lists; a file a guest still uses is never
// removed (the review refuses, naming the guest).
#pragma once

#include <map>
#include <set>
#include <string>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

// The volume ID an image entry names: `STORAGE:CONTENT/FILE` (`local:vztmpl/debian-12-...tar.zst`).
std::string ImageVolume(const Value& body);

class ImageKind : public ResourceKind {
 public:
  explicit ImageKind(KindDeps& deps);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

 private:
  struct Where {
    std::vector<std::string> nodes;  // where the file must be (one node for a shared storage)
    bool shared = false;
  };
  // What Placement reads, kept for one pass over several images (Observe); null: read every time.
  struct Reads {
    std::map<std::string, Value> storages;  // id -> GET /storage/{id}
    Value nodes;                            // GET /nodes (null until read)
  };
  // The nodes an image lives on, from /storage and /nodes.
  Result<Where> Placement(const Value& body, Reads* reads = nullptr);
  // volids on `storage` as `node` lists them (content of one type).
  Result<std::set<std::string>> Listing(const std::string& node, const std::string& storage, const std::string& content);
  // Guests whose config names `volume` (on `nodes`), as "vm/<vmid>".
  Result<std::vector<std::string>> GuestsUsing(const std::string& volume, const std::vector<std::string>& nodes);
  Status Download(const Value& body, const std::string& node);
  Status Converge(const Change& change);

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace hainfra::providers
