// Observing every guest for `hainfra export`: Observe() reads full configs only for declared guests, so
// every qemu guest of the cluster list is declared here (one list read, then one config read per guest).
// Templates too (`template: true`); `clone` and `import_from` are used at create only, so never exported.
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
      Resource r;
      r.address = {"vm", vm::ConfigText(entry["vmid"])};
      r.body = Value{{"vmid", entry["vmid"]}};
      every.push_back(std::move(r));
    }
  }
  return Observe(every);
}

}  // namespace hainfra::providers
