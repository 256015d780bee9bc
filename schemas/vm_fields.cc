// `vms:` — QEMU guests. Ranges follow POST /nodes/{node}/qemu; `reboot` marks what qemu-server cannot apply
// to a running guest with the default hotplug set (network,disk,usb): CPU and memory hotplug are off by
// default, so cores/sockets/memory/cpu wait for a restart, as do bios, machine, scsihw, ostype, agent,
// numa and boot order; name, tags, onboot, protection, description and startup apply at once.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

// Volume IDs of files on a storage: `local:import/noble.qcow2`, `local:iso/debian-12.iso`.
constexpr const char* kImportVolume = "^[a-zA-Z][a-zA-Z0-9_.-]*:import/[-a-zA-Z0-9_.+=]+\\.(qcow2|raw|vmdk|img)$";
constexpr const char* kIsoVolume = "^(none|cdrom|[a-zA-Z][a-zA-Z0-9_.-]*:iso/[-a-zA-Z0-9_.]+\\.(iso|img|ISO|IMG))$";

FieldSpec DiskFields() {
  return Object(
      "disk", "one disk",
      {
          String("slot", "bus and index").Pattern("^(scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|sata[0-5]|ide[0-3])$")
              .Required().Example("scsi0"),
          String("storage", "where the disk lives").Format("pve-storage-id").Ref("storage").Required()
              .Example("ceph-vm"),
          Size("size", "disk size (disks grow, never shrink)").Min(1).Required().Example("32G"),
          Enum("format", "image format (file-based storages)", {"raw", "qcow2", "vmdk"}),
          Enum("cache", "cache mode", {"none", "writethrough", "writeback", "unsafe", "directsync"}),
          Bool("discard", "pass discard/TRIM to the storage"),
          Bool("ssd", "present the disk as an SSD"),
          Bool("iothread", "own I/O thread (scsi with virtio-scsi-single, virtio)"),
          Bool("backup", "include in backups (default true)"),
          Bool("replicate", "include in storage replication (default true)"),
          String("serial", "disk serial number (URL-encoded)").MaxLength(60).Pattern("^[-%a-zA-Z0-9_.!~*'()]*$"),
          // Read once when the disk is created (Proxmox keeps no trace of it), so never diffed.
          String("import_from", "create the disk from an image (PVE 8.2+), e.g. a cloud image of the images section; "
                                "size must be at least the image's size")
              .Pattern(kImportVolume)
              .Unmanaged()
              .Example("local:import/noble-server-cloudimg-amd64.qcow2"),
      });
}

FieldSpec CloneFields() {
  // Used once, when the VM is created; a clone is an ordinary VM afterwards (never diffed, not exported).
  return Object("clone", "create the VM as a clone of a template or VM (create only)",
                {
                    String("from", "the source: a VM name, or a VMID in quotes").Required().Example("debian-tmpl"),
                    Bool("full", "full copy (default: linked clone of a template, full copy of a VM)"),
                    String("storage", "target storage of a full clone's disks").Format("pve-storage-id").Ref("storage"),
                })
      .Unmanaged();
}

FieldSpec PassthroughFields() {
  return Object("hostpci", "a PCI(e) device through a cluster hardware mapping",
                {
                    String("slot", "device index").Pattern("^hostpci([0-9]|1[0-5])$").Required().Example("hostpci0"),
                    String("mapping", "the hardware mapping's name (Datacenter > Resource Mappings)")
                        .Pattern("^[a-zA-Z][a-zA-Z0-9_-]*$").Required().Example("gpu-a100"),
                    Bool("pcie", "PCI Express (needs machine: q35)"),
                    Bool("rombar", "map the device's ROM (default true)"),
                    Bool("x_vga", "the device is the primary GPU"),
                });
}

FieldSpec UsbFields() {
  return Object("usb", "a USB device through a cluster hardware mapping",
                {
                    String("slot", "device index").Pattern("^usb([0-9]|1[0-3])$").Required().Example("usb0"),
                    String("mapping", "the hardware mapping's name").Pattern("^[a-zA-Z][a-zA-Z0-9_-]*$").Required()
                        .Example("license-dongle"),
                    Bool("usb3", "USB 3 controller"),
                });
}

FieldSpec NetFields() {
  return Object(
      "net", "one network device",
      {
          String("slot", "device index").Pattern("^net([0-9]|[12][0-9]|3[01])$").Required().Example("net0"),
          Enum("model", "NIC model (default virtio)",
               {"virtio", "e1000", "e1000e", "vmxnet3", "rtl8139", "e1000-82540em", "e1000-82544gc",
                "e1000-82545em", "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet"}),
          String("bridge", "a node bridge or an SDN VNet").Format("pve-iface").Ref("bridge").Required()
              .Example("vmbr0"),
          Int("tag", "VLAN tag on a plain bridge").Min(1).Max(4094).Example("20"),
          List("trunks", "VLANs the guest may tag itself", String("trunk", "").Format("vlan-range")).Set(),
          Bool("firewall", "apply the PVE firewall"),
          String("macaddr", "fixed MAC address (default: assigned once by PVE)").Format("mac-addr"),
          Int("mtu", "MTU (1 = the bridge's MTU)").Min(1).Max(65520),
          Int("queues", "multiqueue packet queues").Min(0).Max(64),
          Number("rate", "rate limit in MB/s").Min(0),
          Bool("link_down", "disconnect the link"),
      });
}

FieldSpec CloudInitFields() {
  // qemu-server writes cloud-init options at once, but the guest reads them only when it boots.
  return Object(
      "cloud_init", "cloud-init settings (take effect when the guest boots)",
      {
          String("user", "default user").Example("ubuntu"),
          String("password", "default user's password").Secret(),
          List("ssh_keys", "authorized public keys", String("key", "")),
          List("ip", "addresses per NIC (ipconfig0.. follows nets order)",
               Object("ipconfig", "one NIC's addresses",
                      {
                          String("slot", "which ipconfig").Pattern("^ipconfig([0-9]|[12][0-9]|3[01])$").Required(),
                          String("ip", "IPv4 address or dhcp").Format("cidrv4-or-dhcp"),
                          String("gateway", "IPv4 gateway").Format("ipv4"),
                          String("ip6", "IPv6 address, dhcp or auto").Format("cidrv6-or-auto"),
                          String("gateway6", "IPv6 gateway").Format("ipv6"),
                      }))
              .Key("slot"),
          List("nameservers", "DNS servers", String("nameserver", "").Format("ip")),
          String("search_domain", "DNS search domain").Format("dns-name"),
          String("storage", "storage of the cloud-init drive").Format("pve-storage-id").Ref("storage"),
          Enum("type", "cloud-init format (default nocloud on Linux)", {"nocloud", "configdrive2", "opennebula"}),
      })
      .Reboot();
}

FieldSpec HaFields() {
  return Object("ha", "shorthand for an ha.resources entry of this VM (sid vm:<vmid>)", HaResourceSettings());
}

}  // namespace

SectionSpec VmSection() {
  return {
      .path = "vms",
      .kind = "vm",
      .identity = "vmid",
      .item = Object(
          "vm", "A QEMU virtual machine",
          {
              Int("vmid", "VM id").Min(100).Max(999999999).Required().Example("100"),
              Enum("state", "present: exists; running/stopped: also its run state; absent: delete it",
                   {"present", "running", "stopped", "absent"}),
              String("name", "VM name").Format("dns-name").Example("hpc-worker-1"),
              String("node", "the node it runs on").Format("pve-node").Ref("node").Required().Example("pve-01"),
              Int("cores", "cores per socket").Min(1).Reboot().Example("4"),
              Int("sockets", "CPU sockets").Min(1).Reboot(),
              Int("vcpus", "hotplugged vCPUs (default cores x sockets)").Min(1).Reboot(),
              String("cpu", "CPU type").Pattern("^[A-Za-z0-9_.+-]+$").Reboot().Example("host"),
              Bool("numa", "enable NUMA").Reboot(),
              Int("memory", "memory in MiB").Min(16).Reboot().Example("8192"),
              Int("balloon", "minimum memory in MiB for the balloon driver (0 disables ballooning)").Min(0),
              Enum("bios", "firmware", {"seabios", "ovmf"}).Reboot(),
              String("machine", "QEMU machine type")
                  .Pattern("^(pc|pc(-i440fx)?-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|q35|pc-q35-\\d+(\\.\\d+)+(\\+pve\\d+)?"
                           "(\\.pxe)?|virt(?:-\\d+(\\.\\d+)+)?(\\+pve\\d+)?)$")
                  .Reboot()
                  .Example("q35"),
              Enum("ostype", "guest OS type",
                   {"l26", "l24", "win11", "win10", "win8", "win7", "wvista", "w2k8", "w2k3", "w2k", "wxp",
                    "solaris", "other"})
                  .Reboot(),
              Enum("scsihw", "SCSI controller",
                   {"virtio-scsi-single", "virtio-scsi-pci", "lsi", "lsi53c810", "megasas", "pvscsi"})
                  .Reboot(),
              Bool("agent", "QEMU guest agent").Reboot(),
              Bool("onboot", "start when the node boots"),
              Object("startup", "boot order and delays when the node starts",
                     {
                         Int("order", "start order (lower first)").Min(0),
                         Int("up", "seconds to wait after starting").Min(0),
                         Int("down", "seconds to wait for shutdown").Min(0),
                     }),
              Bool("protection", "protect against removal"),
              String("description", "notes shown in the GUI").MaxLength(8192),
              List("tags", "tags (hainfra adds its own `hainfra` marker)", String("tag", "").Format("pve-tag")).Set(),
              Bool("template", "keep the VM as a template (converted after it is created; Proxmox cannot convert back)")
                  .Example("true"),
              CloneFields(),
              List("boot", "boot order: disk, CD-ROM and net slots", String("device", "")
                  .Pattern("^(scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|sata[0-5]|ide[0-3]|net([0-9]|[12][0-9]|3[01]))$"))
                  .Reboot(),
              // Disks and NICs are owned whole (principle 2): a disk left out is detached and kept.
              List("disks", "disks by slot", DiskFields()).Key("slot"),
              Object("efi_disk", "EFI vars disk (bios: ovmf)",
                     {
                         String("storage", "where it lives").Format("pve-storage-id").Ref("storage").Required(),
                         Enum("efitype", "size of the EFI vars (default 2m; 4m for secure boot)", {"2m", "4m"}),
                         Bool("pre_enrolled_keys", "enroll the default secure-boot keys"),
                     })
                  .Reboot(),
              List("nets", "network devices by slot", NetFields()).Key("slot"),
              // An ISO change is hot (qemu-server swaps the medium of a running guest); a new drive waits.
              Map("cdrom", "CD-ROM drives by slot: an ISO volume or none (the cloud-init drive is not listed)",
                  String("medium", "`STORAGE:iso/FILE.iso`, `none` (empty drive) or `cdrom` (the host's drive)")
                      .Pattern(kIsoVolume))
                  .Pattern("^(ide[0-3]|sata[0-5])$")
                  .Example("{ ide2: local:iso/debian-12.7.0-amd64-netinst.iso }"),
              String("serial0", "first serial port: socket, or a host device").Pattern("^(socket|/dev/.+)$").Reboot()
                  .Example("socket"),
              Object("vga", "display",
                     {
                         Enum("type", "display type (default std)",
                              {"std", "cirrus", "vmware", "qxl", "qxl2", "qxl3", "qxl4", "serial0", "serial1", "serial2",
                               "serial3", "virtio", "virtio-gl", "none"})
                             .Required(),
                         Int("memory", "video memory in MiB").Min(4).Max(512),
                     })
                  .Reboot(),
              Object("tpm_state", "TPM state volume (Windows 11)",
                     {
                         String("storage", "where it lives").Format("pve-storage-id").Ref("storage").Required(),
                         Enum("version", "TPM version (default v1.2)", {"v1.2", "v2.0"}),
                     })
                  .Reboot(),
              List("hostpci", "PCI passthrough by slot", PassthroughFields()).Key("slot").Reboot(),
              List("usb", "USB passthrough by slot", UsbFields()).Key("slot"),
              CloudInitFields(),
              HaFields(),
              // How hainfra applies changes: settings of hainfra, never sent to Proxmox nor diffed.
              Enum("reboot", "restart a running guest to apply reboot-only changes (default never: they stay pending)",
                   {"allowed", "never"})
                  .Unmanaged(),
              Bool("node_pinned", "keep the guest on `node` even when HA manages it (default: for HA guests `node` is "
                                  "only the initial placement, and a guest HA moved is left where it is)")
                  .Unmanaged(),
              Int("shutdown_timeout", "seconds a clean shutdown may take (state: stopped, reboots; default 180)")
                  .Min(1)
                  .Unmanaged(),
              Bool("force_stop", "stop the guest hard when a clean shutdown times out (default false)").Unmanaged(),
          })};
}

}  // namespace hainfra::schemas
