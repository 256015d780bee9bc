// PUT /nodes/{node}/qemu/{vmid}/resize: qemu-server's resize_vm (a `resize` task under the guest's config
// lock: digest and lock checks, `+` for relative sizes, shrinking refused, an equal size a no-op).
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_ops.h"

namespace pvesim {

namespace {

struct ResizeRequest {
  std::string node;
  int vmid = 0;
  std::string disk;
  std::string size;  // as given: "+10G", "64G", "1073741824"
  std::optional<std::string> digest;
  bool skiplock = false;
};

Status ResizeUnderLock(Simulator& sim, const ResizeRequest& r, TaskContext& ctx) {
  auto conf = LoadGuest(sim, r.node, r.vmid);
  if (!conf) return Fail(conf.error());
  if (r.digest && !r.digest->empty() && *r.digest != conf->digest) {
    return Die("detected modified configuration - file changed by other user? Try again.");
  }
  if (auto st = CheckGuestLock(*conf, r.skiplock); !st) return st;
  auto it = conf->main.find(r.disk);
  if (it == conf->main.end()) return Die("disk '" + r.disk + "' does not exist");
  PropertyMap drive = ParseDrive(it->second);
  if (DriveIsCdrom(drive)) return Die("you can't resize a cdrom");
  const bool relative = !r.size.empty() && r.size[0] == '+';
  auto amount = ParseSize(relative ? r.size.substr(1) : r.size);
  if (!amount) return ParamError("size", "unable to parse size '" + r.size + "'");
  const uint64_t current = drive.contains("size") ? ParseSize(drive["size"]).value_or(0) : 0;
  const uint64_t wanted = relative ? current + *amount : *amount;
  if (wanted < current) return Die("shrinking disks is not supported");
  if (wanted == current) return Ok();
  ctx.Log("update VM " + std::to_string(r.vmid) + ": resize --disk " + r.disk + " --size " + r.size);
  drive["size"] = FormatSize(wanted);
  it->second = PrintDrive(drive);
  return SaveGuest(sim, r.node, r.vmid, *conf);
}

Result<Reply> Resize(Call& c) {
  ResizeRequest r;
  r.node = c.node;
  r.vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  r.disk = c.params.StrOr("disk", "");
  r.size = c.params.StrOr("size", "");
  r.digest = c.params.Str("digest");
  r.skiplock = c.params.Bool("skiplock");
  if (r.skiplock && c.caller.Userid() != "root@pam") return ParamError("skiplock", "Only root may use this option.");
  auto conf = LoadGuest(c.sim, r.node, r.vmid);
  if (!conf) return Fail(conf.error());
  Simulator& sim = c.sim;
  std::string upid = sim.tasks().Start(c.node, "resize", std::to_string(r.vmid), c.caller.Userid(),
                                       [&sim, r](TaskContext& ctx) -> Status {
                                         auto guard = sim.guest_locks().Acquire(r.vmid);
                                         if (!guard) return Fail(guard.error());
                                         if (auto st = ctx.Work(); !st) return st;
                                         return ResizeUnderLock(sim, r, ctx);
                                       });
  return Reply(upid);
}

}  // namespace

void AddQemuResizeRoutes(RouteTable& t) { t.Add("PUT", "/nodes/{node}/qemu/{vmid}/resize", kProxyNode, Resize); }

}  // namespace pvesim
