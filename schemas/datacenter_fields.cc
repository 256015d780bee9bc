// `datacenter:` — the cluster-wide options of datacenter.cfg (/cluster/options). One per spec; only the keys
// written are managed. Enums, ranges and formats follow the official API schema (pve-cluster's
// DataCenterConfig).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

FieldSpec BandwidthLimits() {
  auto limit = [](const char* name, const char* doc) { return Int(name, doc).Min(0); };
  return Object("bwlimit", "I/O bandwidth limits per operation, in KiB/s (0: unlimited)",
                {
                    limit("default", "every operation without a limit of its own"),
                    limit("clone", "cloning disks"),
                    limit("migration", "migrating guests (including moving local disks)"),
                    limit("move", "moving disks"),
                    limit("restore", "restoring guests from backups"),
                });
}

FieldSpec TagStyle() {
  return Object("tag_style", "how the web interface shows guest tags",
                {
                    Enum("shape", "tag shape in the tree (default circle)", {"full", "circle", "dense", "none"}),
                    Enum("ordering", "tag order (default alphabetical)", {"config", "alphabetical"}),
                    Bool("case_sensitive", "unique-tag filtering is case-sensitive (default false)"),
                    Map("color_map", "tag -> background color, optionally `:` text color (hex RRGGBB)",
                        String("color", "").Format("tag-color").Example("ff0000"))
                        .Format("pve-tag"),
                });
}

}  // namespace

SectionSpec DatacenterSection() {
  return {
      .path = "datacenter",
      .kind = "datacenter",
      .identity = "",
      .singleton = true,
      .item = Object(
          "datacenter", "Datacenter options (datacenter.cfg)",
          {
              Enum("keyboard", "default keyboard layout of the VNC console",
                   {"de", "de-ch", "da", "en-gb", "en-us", "es", "fi", "fr", "fr-be", "fr-ca", "fr-ch", "hu", "is",
                    "it", "ja", "lt", "mk", "nl", "no", "pl", "pt", "pt-br", "sv", "sl", "tr"}),
              Enum("language", "default language of the web interface",
                   {"ar", "ca", "da", "de", "en", "es", "eu", "fa", "fr", "hr", "he", "it", "ja", "ka",
                    "kr", "nb", "nl", "nn", "pl", "pt_BR", "ru", "sl", "sv", "tr", "ukr", "zh_CN", "zh_TW"}),
              Enum("console", "default console viewer (`applet` is gone: Proxmox maps it to html5)",
                   {"vv", "html5", "xtermjs"}),
              String("email_from", "sender address of notification mail (default root@<hostname>)")
                  .Format("email").Example("pve@example.com"),
              Int("max_workers", "parallel workers per node for bulk actions and HA tasks").Min(1),
              String("mac_prefix", "prefix of generated guest MAC addresses (default BC:24:11)")
                  .Format("mac-prefix").Example("BC:24:11:0"),
              Object("migration", "how guests migrate",
                     {
                         Enum("type", "secure (SSH tunnel, default) or insecure", {"secure", "insecure"}),
                         String("network", "the network migration traffic uses").Format("cidr")
                             .Example("10.20.20.0/24"),
                     }),
              Object("crs", "cluster resource scheduling",
                     {
                         Enum("ha", "how HA chooses nodes (default basic; dynamic needs PVE 9)",
                              {"basic", "static", "dynamic"}),
                         Bool("ha_rebalance_on_start", "choose a node with the CRS when an HA guest starts"),
                     }),
              Object("ha", "cluster-wide HA settings",
                     {
                         Enum("shutdown_policy", "HA guests on node shutdown (default conditional)",
                              {"freeze", "failover", "conditional", "migrate"}),
                     }),
              BandwidthLimits(),
              Object("next_id", "the range new VMIDs are picked from (lower inclusive, upper exclusive)",
                     {
                         Int("lower", "first VMID (default 100)").Min(100).Max(999999999),
                         Int("upper", "end of the range, exclusive (default 1000000)").Min(100).Max(1000000000),
                     }),
              TagStyle(),
              Object("u2f", "U2F two-factor settings",
                     {
                         String("appid", "AppId URL (default: the origin)"),
                         String("origin", "origin override (single nodes with one URL)"),
                     }),
              Object("webauthn", "WebAuthn two-factor settings",
                     {
                         String("rp", "relying party name"),
                         String("origin", "site origin: an https:// URL (or http://localhost)"),
                         String("id", "relying party ID: the domain name alone"),
                         Bool("allow_subdomains", "the origin may be a subdomain (default true)"),
                     }),
          })};
}

}  // namespace hainfra::schemas
