// `baselines:` — what every node using the baseline must have: APT repositories, packages, sshd settings.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

// The standard repository handles of GET /nodes/{node}/apt/repositories (`standard-repos[].handle`).
std::vector<std::string> RepositoryHandles() {
  return {"enterprise",           "no-subscription",           "test",
          "ceph-squid-enterprise", "ceph-squid-no-subscription", "ceph-squid-test",
          "ceph-reef-enterprise",  "ceph-reef-no-subscription",  "ceph-reef-test",
          "ceph-quincy-enterprise", "ceph-quincy-no-subscription", "ceph-quincy-test"};
}

}  // namespace

SectionSpec BaselineSection() {
  return {
      .path = "baselines",
      .kind = "baseline",
      .identity = "name",
      .item = Object(
          "baseline", "A node baseline",
          {
              String("name", "baseline name").Format("pve-configid").Required().Example("standard"),
              Object("apt", "standard Proxmox repositories",
                     {
                         List("repositories", "repositories to enable",
                              Enum("handle", "", RepositoryHandles()))
                             .Set()
                             .NotWhole(),
                         List("disable", "repositories to disable", Enum("handle", "", RepositoryHandles()))
                             .Set()
                             .NotWhole(),
                     }),
              // Packages not listed are left alone: the lists say "at least", never "only".
              Object("packages", "Debian packages",
                     {
                         List("present", "installed (any version unless pinned)",
                              String("package", "").Format("deb-package"))
                             .Set()
                             .NotWhole(),
                         List("absent", "not installed", String("package", "").Format("deb-package"))
                             .Set()
                             .NotWhole(),
                         Map("versions", "exact versions (installed and held)",
                             String("version", "").Format("deb-version"))
                             .Format("deb-package")
                             .NotWhole(),
                     }),
              // A reboot after a package change that needs one: the node_reboot kind rolls the nodes one at a
              // time (quorum gate, HA maintenance, reboot, bounded waits), inside `window` when one is given.
              Object("reboot", "reboot after a package change that needs one (one node at a time)",
                     {
                         Enum("when", "`kernel`: when the newest installed kernel is not running; `always`: after "
                                      "any package change too; `never`: only report it",
                              {"kernel", "always", "never"})
                             .Required()
                             .Example("kernel"),
                         String("window", "calendar (systemd OnCalendar subset) in which nodes may reboot")
                             .Example("Sat,Sun 02:00..05:00"),
                         String("timezone", "IANA time zone of the window (default UTC)").Example("Europe/Berlin"),
                     }),
              Map("sshd", "sshd_config settings (a drop-in file; values as sshd writes them)",
                  String("value", ""))
                  .Format("sshd-keyword")
                  .NotWhole(),
          })};
}

}  // namespace hainfra::schemas
