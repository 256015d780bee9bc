// `pci_mapping/<id>` and `usb_mapping/<id>`: cluster-wide hardware mappings over /cluster/mapping/pci and
// /usb (mapping/pci.cfg, mapping/usb.cfg): a description and one `map` entry per node, each a property
// string (`node=pve-01,path=0000:01:00.0,id=10de:1b80,iommugroup=12`) the spec writes as an object.
#pragma once

#include <string>

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class HardwareMappingKind : public SectionKind {
 public:
  // `bus`: "pci" or "usb".
  HardwareMappingKind(transport::ApiClient& api, const std::string& bus);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;

 private:
  std::string bus_;
};

}  // namespace hainfra::providers
