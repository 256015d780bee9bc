// A fake cluster for export tests: node, storage, vm and ha_resource kinds shaped by the real spec sections,
// holding objects as a kind would report them (Proxmox's extra keys, the ownership tag, sizes in bytes).
#pragma once

#include <memory>
#include <vector>

#include "providers/kinds/section_objects.h"
#include "tests/testing/fake_kind.h"

namespace hainfra::exporting {

class ExportWorld {
 public:
  ExportWorld() {
    for (const char* kind : {"node", "storage", "vm", "ha_resource"}) {
      KindTraits traits;
      traits.name = kind;
      traits.body = providers::SectionBody(kind);
      auto k = std::make_unique<testing::FakeKind>(cluster, traits);
      // What every real kind does: its own marker is not a difference.
      k->normalize = [](Value& body) {
        auto it = body.find("tags");
        if (it != body.end() && it->is_array()) {
          Value kept = Value::array();
          for (const Value& t : *it) {
            if (t != "hainfra") kept.push_back(t);
          }
          *it = kept;
        }
      };
      kinds_.push_back(std::move(k));
    }
    cluster.Put({"node", "pve-01"}, {{"name", "pve-01"}, {"address", "10.0.0.11"}, {"ssl_fingerprint", "AB:CD"}});
    cluster.Put({"node", "pve-02"}, {{"name", "pve-02"}, {"address", "10.0.0.12"}});
    cluster.Put({"storage", "local-lvm"}, {{"id", "local-lvm"}, {"type", "lvmthin"}, {"vgname", "pve"},
                                           {"thinpool", "data"}, {"content", {"images", "rootdir"}},
                                           {"digest", "5e1f"}});
    cluster.Put({"vm", "100"},
                {{"vmid", 100}, {"name", "web"}, {"node", "pve-01"}, {"cores", 2}, {"memory", 2048},
                 {"tags", {"hainfra", "web"}}, {"smbios1", "uuid=7f0c"}, {"digest", "0a1b"},
                 {"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", int64_t{34359738368}},
                             {"discard", true}}}},
                 {"nets", {{{"slot", "net0"}, {"bridge", "vmbr0"}, {"macaddr", "BC:24:11:00:00:01"}}}}},
                true);
    cluster.Put({"vm", "101"}, {{"vmid", 101}, {"name", "db"}, {"node", "pve-02"}, {"cores", 4},
                                {"description", "yes"}, {"onboot", true}});
    cluster.Put({"ha_resource", "vm:100"}, {{"sid", "vm:100"}, {"state", "started"}, {"max_relocate", 2}});
  }

  std::vector<ResourceKind*> Kinds() const {
    std::vector<ResourceKind*> out;
    for (const auto& k : kinds_) out.push_back(k.get());
    return out;
  }
  testing::FakeKind& Kind(size_t i) { return *kinds_[i]; }

  testing::FakeCluster cluster;

 private:
  std::vector<std::unique_ptr<testing::FakeKind>> kinds_;
};

}  // namespace hainfra::exporting
