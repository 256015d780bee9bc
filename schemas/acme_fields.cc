// `certificates.acme_plugins` — ACME challenge plugins (/cluster/acme/plugins, priv/acme/plugins.cfg): DNS
// plugins with the acme.sh API they drive and its credentials, or standalone (HTTP on port 80).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec AcmePluginSection() {
  return {
      .path = "certificates.acme_plugins",
      .kind = "acme_plugin",
      .identity = "id",
      .item = Object(
          "acme_plugin", "An ACME challenge plugin",
          {
              String("id", "plugin id").Format("pve-configid").Required().Example("cloudflare"),
              StateField({"present", "absent"}, "absent removes the plugin"),
              Enum("type", "dns (a DNS-01 challenge through a DNS provider's API) or standalone (HTTP-01 on port 80)",
                   {"dns", "standalone"})
                  .Required()
                  .ForceNew(),
              String("api", "dns: the acme.sh DNS API the plugin drives (cf, route53, desec, ...)").Example("cf"),
              Map("data", "dns: the API's credentials as acme.sh names them (KEY: value); secret, never shown",
                  String("value", "one credential").Secret())
                  .Secret()
                  .Example("{CF_Token: \"${env:CF_TOKEN}\"}"),
              Int("validation_delay", "dns: seconds to wait before asking for validation (default 30)").Min(0).Max(172800),
              List("nodes", "nodes that may use it (default all)", String("node", "").Ref("node")).Set(),
              Bool("disable", "disable the plugin (default false)"),
          })};
}

}  // namespace hainfra::schemas
