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
              Map("sshd", "sshd_config settings (a drop-in file; values as sshd writes them)",
                  String("value", ""))
                  .Format("sshd-keyword")
                  .NotWhole(),
          })};
}

}  // namespace hainfra::schemas
