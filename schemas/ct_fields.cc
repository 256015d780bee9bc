// `containers:` — LXC containers, following pve-container's schema (POST /nodes/{node}/lxc). `reboot` marks
// what pve-container keeps pending on a running container: only memory, swap, cores, cpulimit, cpuunits,
// NICs, new mount points and the fast-plug options (hostname, onboot, startup, protection, tags,
// description) apply at once. The template, the root password and the SSH keys are used once, at create;
// `unprivileged` cannot change afterwards (pve-container: "unable to modify read-only option").
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

std::vector<FieldSpec> MountOptions() {
  std::vector<FieldSpec> out;
  out.push_back(List("options", "mount options",
                     Enum("option", "", {"noatime", "lazytime", "nodev", "nosuid", "noexec", "discard"}))
                    .Set()
                    .Reboot());
  out.push_back(Bool("acl", "POSIX ACLs (default: the file system's default)").Reboot());
  out.push_back(Bool("quota", "user quotas inside the container (privileged containers only)").Reboot());
  out.push_back(Bool("replicate", "include in storage replication (default true)"));
  return out;
}

FieldSpec RootfsFields() {
  std::vector<FieldSpec> fields = {
      String("storage", "where the root volume lives").Format("pve-storage-id").Ref("storage").Required()
          .Example("local-lvm"),
      // Needed to create the volume; a container Proxmox keeps without one (an old config) is declared without.
      Size("size", "root volume size (needed to create it; grows, never shrinks)").Min(1).Example("8G"),
  };
  for (FieldSpec& f : MountOptions()) fields.push_back(std::move(f));
  return Object("rootfs", "the root file system volume", std::move(fields));
}

FieldSpec MountPointFields() {
  std::vector<FieldSpec> fields = {
      String("slot", "mount point index").Pattern("^mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$").Required()
          .Example("mp0"),
      String("storage", "a volume on this storage (with size)").Format("pve-storage-id").Ref("storage")
          .Example("local-lvm"),
      Size("size", "volume size (needed to create it; grows, never shrinks)").Min(1).Example("16G"),
      String("bind", "a host directory to bind-mount instead of a volume (written by root@pam only)").Pattern("^/.*$")
          .Example("/srv/share"),
      String("path", "where it is mounted inside the container").Pattern("^/.*$").Required().Example("/data")
          .Reboot(),
      Bool("backup", "include in backups (volumes only; default false)"),
      Bool("ro", "read-only").Reboot(),
  };
  for (FieldSpec& f : MountOptions()) fields.push_back(std::move(f));
  return Object("mount_point", "one mount point", std::move(fields));
}

FieldSpec CtNetFields() {
  return Object(
      "net", "one network interface",
      {
          String("name", "interface name inside the container").Pattern("^[-_.a-zA-Z0-9]+$").MaxLength(15)
              .Required().Example("eth0"),
          String("bridge", "a node bridge or an SDN VNet").Format("pve-iface").Ref("bridge").Required()
              .Example("vmbr0"),
          Int("tag", "VLAN tag on a plain bridge").Min(1).Max(4094),
          String("ip", "IPv4 address (CIDR), dhcp or manual").Format("cidrv4-or-dhcp").Example("10.0.0.20/24"),
          String("gw", "IPv4 gateway").Format("ipv4"),
          String("ip6", "IPv6 address (CIDR), auto, dhcp or manual").Format("cidrv6-or-auto"),
          String("gw6", "IPv6 gateway").Format("ipv6"),
          String("hwaddr", "fixed MAC address (default: assigned once by PVE)").Format("mac-addr"),
          Int("mtu", "MTU").Min(64).Max(65535),
          Number("rate", "rate limit in MB/s").Min(0),
          Bool("firewall", "apply the PVE firewall"),
      });
}

FieldSpec CtHaFields() {
  return Object("ha", "shorthand for an ha.resources entry of this container (sid ct:<vmid>)", HaResourceSettings());
}

}  // namespace

SectionSpec CtSection() {
  return {
      .path = "containers",
      .kind = "ct",
      .identity = "vmid",
      .item = Object(
          "ct", "An LXC container",
          {
              Int("vmid", "container id (unique across VMs and containers)").Min(100).Max(999999999).Required()
                  .Example("300"),
              Enum("state", "present: exists; running/stopped: also its run state; absent: delete it",
                   {"present", "running", "stopped", "absent"}),
              String("hostname", "host name").Format("dns-name").Example("web-ct"),
              String("node", "the node it runs on").Format("pve-node").Ref("node").Required().Example("pve-01"),
              // Used once, at create (never diffed later: the template is unpacked into the root volume).
              String("ostemplate", "template volume to create it from (needed to create it; never compared later)")
                  .Pattern("^[^:\\s]+:vztmpl/.+$")
                  .Unmanaged()
                  .Example("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"),
              Bool("unprivileged", "run as an unprivileged container (set at create; cannot change later)"),
              Object("features", "container features",
                     {
                         Bool("nesting", "nested containers (systemd, docker)"),
                         Bool("keyctl", "the keyctl() system call (docker in unprivileged containers)"),
                         Bool("fuse", "FUSE mounts"),
                         List("mount", "file systems it may mount (privileged containers)",
                              Enum("fs", "", {"nfs", "cifs", "ext4", "xfs", "btrfs"}))
                             .Set(),
                     })
                  .Reboot(),
              Enum("arch", "OS architecture (default amd64)", {"amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"})
                  .Reboot(),
              Enum("ostype", "OS type (default: detected from the template)",
                   {"debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo",
                    "nixos", "unmanaged"})
                  .Reboot(),
              Int("cores", "CPU cores (default: all of the node's)").Min(1).Max(8192).Example("2"),
              Number("cpulimit", "CPU time limit in cores (0: unlimited)").Min(0).Max(8192),
              Int("cpuunits", "relative CPU weight").Min(0).Max(500000),
              Int("memory", "memory in MiB (default 512)").Min(16).Example("1024"),
              Int("swap", "swap in MiB (default 512)").Min(0),
              RootfsFields(),
              // Mount points are owned whole (principle 2): one left out is detached and kept as unusedN.
              List("mount_points", "mount points by slot", MountPointFields()).Key("slot"),
              List("nets", "network interfaces by name (net0.. assigned in order)", CtNetFields()).Key("name"),
              List("nameserver", "DNS servers (default: the node's)", String("ip", "").Format("ip")).Reboot(),
              String("searchdomain", "DNS search domain (default: the node's)").Format("dns-name").Reboot(),
              List("ssh_public_keys", "root's authorized keys (create only)", String("key", "")).Unmanaged(),
              String("password", "root password (create only; never shown)").Secret().Unmanaged(),
              Bool("onboot", "start when the node boots"),
              Object("startup", "boot order and delays when the node starts",
                     {
                         Int("order", "start order (lower first)").Min(0),
                         Int("up", "seconds to wait after starting").Min(0),
                         Int("down", "seconds to wait for shutdown").Min(0),
                     }),
              Bool("protection", "protect against removal and changes of its volumes"),
              List("tags", "tags (hainfra adds its own `hainfra` marker)", String("tag", "").Format("pve-tag")).Set(),
              String("description", "notes shown in the GUI").MaxLength(8192),
              String("timezone", "time zone inside the container (`host` follows the node)")
                  .Pattern("^[A-Za-z0-9_+/-]+$")
                  .Reboot()
                  .Example("Europe/Berlin"),
              CtHaFields(),
              Enum("reboot", "restart a running container to apply reboot-only changes (default never: they stay "
                             "pending)",
                   {"allowed", "never"})
                  .Unmanaged(),
              Bool("node_pinned", "keep the container on `node` even when HA manages it (default: for HA guests "
                                  "`node` is only the initial placement)")
                  .Unmanaged(),
              Int("shutdown_timeout", "seconds a clean shutdown may take (default 180)").Min(1).Unmanaged(),
          })};
}

}  // namespace hainfra::schemas
