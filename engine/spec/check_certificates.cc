// The `certificates:` checks: an ACME plugin's settings belong to its type (a DNS plugin names the acme.sh
// API it drives; `standalone` takes no API, credentials or delay), as pve-manager's plugin types accept.
#include <string>

#include "engine/spec/checks.h"

namespace hainfra::spec {

void CheckAcmePlugins(CheckContext& ctx) {
  for (const Resource* plugin : ctx.OfKind("acme_plugin")) {
    if (plugin->absent) continue;
    const Value& body = plugin->body;
    if (Str(body, "type") == "dns") {
      if (!Has(body, "api")) ctx.Error(*plugin, "/api", "a dns plugin needs `api`: the acme.sh DNS API it drives (e.g. cf)");
      continue;
    }
    for (const char* key : {"api", "data", "validation_delay"}) {
      if (Has(body, key)) ctx.Error(*plugin, std::string("/") + key, "`" + std::string(key) + "` applies to dns plugins only");
    }
  }
}

}  // namespace hainfra::spec
