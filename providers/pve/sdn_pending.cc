#include "providers/pve/sdn_pending.h"

namespace hainfra::pve {

SdnViews SplitSdnPending(const Value& item) {
  SdnViews views;
  Value base = item.is_object() ? item : Value::object();
  views.state = base.value("state", "");
  const Value edits = base.value("pending", Value::object());
  base.erase("state");
  base.erase("pending");
  base.erase("digest");
  if (views.state != "new") views.running = base;
  if (views.state == "deleted") return views;
  Value next = base;
  if (edits.is_object()) {
    for (auto it = edits.begin(); it != edits.end(); ++it) {
      if (it.value().is_string() && it.value().get<std::string>() == "deleted") {
        next.erase(it.key());
      } else {
        next[it.key()] = it.value();
      }
    }
  }
  views.pending = next;
  return views;
}

}  // namespace hainfra::pve
