// `enforcement:` — the policy of unattended runs (`hainfra enforce`): which drift is corrected and which only
// reported (mode, overrides), which fields are never compared (ignore, honoured by plan/drift/apply too),
// when corrections may run (windows) and how much one run may change (limits). docs/enforcement.md.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

// The object selector shared by overrides and ignore rules; every key given must match.
std::vector<FieldSpec> SelectorFields(std::vector<FieldSpec> more) {
  std::vector<FieldSpec> fields = {
      String("kind", "the objects' kind (vm, node, storage, network, ...)").Example("vm"),
      String("name", "glob (`*`, `?`) on the object's name; for a VM also its `name` field").Example("web-*"),
      String("address", "glob on the address KIND/NAME").Example("vm/web-*"),
      List("tags", "the object carries every one of these tags (VM `tags`)", String("tag", "").Format("pve-tag"))
          .Set(),
  };
  for (FieldSpec& f : more) fields.push_back(std::move(f));
  return fields;
}

}  // namespace

SectionSpec EnforcementSection() {
  return {
      .path = "enforcement",
      .kind = "enforcement",
      .identity = "",
      .singleton = true,
      .item = Object(
          "enforcement", "What unattended runs (`hainfra enforce`) may correct, when, and how much",
          {
              Enum("mode", "default for every object: correct (apply the plan) or warn (report only); default correct",
                   {"correct", "warn"}),
              List("overrides", "modes per kind, name or tag; the most specific match wins (tags > name > kind)",
                   Object("override", "one override",
                          SelectorFields({Enum("mode", "the mode of the selected objects", {"correct", "warn"})
                                              .Required()}))),
              List("ignore", "fields never compared (plan, drift, apply and enforce alike)",
                   Object("rule", "one rule",
                          SelectorFields({List("fields", "field paths as the plan prints them; `[*]` matches any entry",
                                               String("path", "").Example("nets[*].macaddr"))
                                              .Required()}))),
              List("windows", "when corrections may run: inside an allow window (if any) and never in a deny window",
                   Object("window", "one window",
                          {
                              String("name", "the window's name, for reports").Required().Example("office-hours"),
                              String("allow", "calendar (systemd OnCalendar subset) in which corrections may run")
                                  .Example("Mon..Fri *-*-* 08:00..18:00"),
                              String("deny", "calendar in which corrections never run").Example("Fri 16:00..23:59"),
                              String("timezone", "IANA time zone of the calendar (default UTC)").Example("Europe/Berlin"),
                          })),
              Object("limits", "how much one unattended run may change",
                     {
                         Int("max_objects", "at most this many objects corrected per run (plan order)").Min(1),
                         Enum("destructive", "destructive changes (delete, replace) are never run unattended; reported",
                              {"never"}),
                         Enum("node_level", "node-level (rolling) kinds: only when every node is online (default), "
                                            "or never", {"require_all_online", "never"}),
                     }),
          }),
  };
}

}  // namespace hainfra::schemas
