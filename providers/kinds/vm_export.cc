// Observing every guest for `hainfra export`: Observe() reads full configs only for declared guests, so
// every qemu guest of the cluster list is declared here (one list read, then one config read per guest).
#include "providers/kinds/vm.h"
#include "providers/kinds/vm_config.h"

namespace hainfra::providers {

Result<std::vector<Observed>> VmKind::ObserveAll() {
  auto list = guests_->Read("vm");
  if (!list) return Fail(WithContext(list.error(), "listing guests"));
  std::vector<Resource> every;
  if (list->is_array()) {
    for (const Value& entry : *list) {
      if (entry.value("type", "") != "qemu" || !entry.contains("vmid")) continue;
      if (entry.value("template", 0) == 1) continue;  // templates are not guests a spec declares
      Resource r;
      r.address = {"vm", vm::ConfigText(entry["vmid"])};
      r.body = Value{{"vmid", entry["vmid"]}};
      every.push_back(std::move(r));
    }
  }
  return Observe(every);
}

}  // namespace hainfra::providers
