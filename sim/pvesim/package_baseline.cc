#include "sim/pvesim/package_baseline.h"

#include <regex>

#include <algorithm>

namespace pvesim {

using json = nlohmann::json;

const PveRelease& ReleaseOf(int pve) {
  static const PveRelease k9{"9.1", "9.1.1", "42db4a6cf33dac83", "6.17.2-1-pve",
                             "#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)", "19.2.3-pve4"};
  static const PveRelease k8{"8.4", "8.4.1", "2a2fa54b8503f96c", "6.8.12-9-pve",
                             "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-9 (2025-03-16T19:18Z)", "18.2.4-pve3"};
  return pve == 8 ? k8 : k9;
}

std::map<std::string, std::string> BaselinePackages(int pve) {
  if (pve == 8) {
    return {
        {"proxmox-ve", "8.4.0"}, {"pve-manager", "8.4.1"}, {"proxmox-kernel-6.8.12-9-pve-signed", "6.8.12-9"},
        {"proxmox-kernel-6.8", "6.8.12-9"}, {"proxmox-kernel-helper", "8.1.1"}, {"amd64-microcode", "3.20240820.1~deb12u1"},
        {"ceph-fuse", "18.2.4-pve3"}, {"corosync", "3.1.9-pve1"}, {"criu", "3.17.1-2+deb12u1"},
        {"frr-pythontools", "10.2.2-1+pve1"}, {"ifupdown2", "3.2.0-1+pmx11"}, {"ksm-control-daemon", "1.5-1"},
        {"libjs-extjs", "7.0.0-5"}, {"libknet1", "1.30-pve2"}, {"libproxmox-acme-perl", "1.6.0"},
        {"libproxmox-backup-qemu0", "1.5.1"}, {"libproxmox-rs-perl", "0.3.5"}, {"libpve-access-control", "8.2.2"},
        {"libpve-apiclient-perl", "3.3.2"}, {"libpve-cluster-api-perl", "8.1.0"}, {"libpve-cluster-perl", "8.1.0"},
        {"libpve-common-perl", "8.3.1"}, {"libpve-guest-common-perl", "5.2.2"}, {"libpve-http-server-perl", "5.2.2"},
        {"libpve-network-perl", "0.11.2"}, {"libpve-notify-perl", "8.1.0"}, {"libpve-rs-perl", "0.9.4"},
        {"libpve-storage-perl", "8.3.6"}, {"libqb0", "1.0.5-1"}, {"libspice-server1", "0.15.1-1"},
        {"lvm2", "2.03.16-2"}, {"lxc-pve", "6.0.0-1"}, {"lxcfs", "6.0.0-pve2"}, {"novnc-pve", "1.6.0-2"},
        {"proxmox-backup-client", "3.4.0-1"}, {"proxmox-backup-file-restore", "3.4.0-1"},
        {"proxmox-backup-restore-image", "0.7.0"}, {"proxmox-firewall", "0.7.1"}, {"proxmox-mail-forward", "0.3.2"},
        {"proxmox-mini-journalreader", "1.4.0"}, {"proxmox-offline-mirror-helper", "0.6.7"},
        {"proxmox-widget-toolkit", "4.3.10"}, {"pve-cluster", "8.1.0"}, {"pve-container", "5.2.6"},
        {"pve-docs", "8.4.0"}, {"pve-edk2-firmware", "4.2025.02-3"}, {"pve-esxi-import-tools", "0.7.3"},
        {"pve-firewall", "5.1.1"}, {"pve-firmware", "3.15-3"}, {"pve-ha-manager", "4.0.7"}, {"pve-i18n", "3.4.2"},
        {"pve-qemu-kvm", "9.2.0-5"}, {"pve-xtermjs", "5.5.0-2"}, {"qemu-server", "8.3.12"}, {"smartmontools", "7.3-pve1"},
        {"spiceterm", "3.3.0"}, {"swtpm", "0.8.0+pve1"}, {"vncterm", "1.8.0"}, {"zfsutils-linux", "2.2.7-pve2"},
    };
  }
  // Versions of a 9.1.1 node (cli-pveversion-v-pve9.txt).
  return {
      {"proxmox-ve", "9.1.0"}, {"pve-manager", "9.1.1"}, {"proxmox-kernel-6.17.2-1-pve-signed", "6.17.2-1"},
      {"proxmox-kernel-6.17", "6.17.2-1"}, {"proxmox-kernel-helper", "9.0.4"}, {"amd64-microcode", "3.20250311.1"},
      {"ceph-fuse", "19.2.3-pve4"}, {"corosync", "3.1.9-pve2"}, {"criu", "4.1.1-1"},
      {"frr-pythontools", "10.3.1-1+pve4"}, {"ifupdown2", "3.3.0-1+pmx11"}, {"ksm-control-daemon", "1.5-1"},
      {"libjs-extjs", "7.0.0-5"}, {"libknet1", "1.30-pve2"}, {"libproxmox-acme-perl", "1.7.0"},
      {"libproxmox-backup-qemu0", "2.0.1"}, {"libproxmox-rs-perl", "0.4.1"}, {"libpve-access-control", "9.0.4"},
      {"libpve-apiclient-perl", "3.4.2"}, {"libpve-cluster-api-perl", "9.0.7"}, {"libpve-cluster-perl", "9.0.7"},
      {"libpve-common-perl", "9.0.15"}, {"libpve-guest-common-perl", "6.0.2"}, {"libpve-http-server-perl", "6.0.5"},
      {"libpve-network-perl", "1.2.3"}, {"libpve-notify-perl", "9.0.7"}, {"libpve-rs-perl", "0.11.3"},
      {"libpve-storage-perl", "9.0.18"}, {"libqb0", "1.0.5-1+b2"}, {"libspice-server1", "0.15.2-1+b1"},
      {"lvm2", "2.03.31-2+pmx1"}, {"lxc-pve", "6.0.5-3"}, {"lxcfs", "6.0.4-pve1"}, {"novnc-pve", "1.6.0-3"},
      {"proxmox-backup-client", "4.0.20-1"}, {"proxmox-backup-file-restore", "4.0.20-1"},
      {"proxmox-backup-restore-image", "1.0.0"}, {"proxmox-firewall", "1.2.1"}, {"proxmox-mail-forward", "1.0.2"},
      {"proxmox-mini-journalreader", "1.6"}, {"proxmox-offline-mirror-helper", "0.7.3"},
      {"proxmox-widget-toolkit", "5.1.2"}, {"pve-cluster", "9.0.7"}, {"pve-container", "6.0.18"},
      {"pve-docs", "9.1.0"}, {"pve-edk2-firmware", "4.2025.05-2"}, {"pve-esxi-import-tools", "1.0.1"},
      {"pve-firewall", "6.0.4"}, {"pve-firmware", "3.17-2"}, {"pve-ha-manager", "5.0.8"}, {"pve-i18n", "3.6.2"},
      {"pve-qemu-kvm", "10.1.2-3"}, {"pve-xtermjs", "5.5.0-3"}, {"qemu-server", "9.0.30"}, {"smartmontools", "7.4-pve1"},
      {"spiceterm", "3.4.1"}, {"swtpm", "0.8.0+pve3"}, {"vncterm", "1.9.1"}, {"zfsutils-linux", "2.3.4-pve1"},
  };
}

std::vector<std::string> OrderedPackages(const std::map<std::string, std::string>& installed) {
  std::vector<std::string> out;
  for (const char* first : {"proxmox-ve", "pve-manager"})
    if (installed.contains(first)) out.push_back(first);
  std::vector<std::string> kernels, rest;
  for (const auto& [name, version] : installed) {
    if (name == "proxmox-ve" || name == "pve-manager") continue;
    bool kernel = (name.rfind("proxmox-kernel-", 0) == 0 || name.rfind("pve-kernel-", 0) == 0) && name != "proxmox-kernel-helper";
    (kernel ? kernels : rest).push_back(name);
  }
  // Newest kernel first (by version string), as the API sorts them.
  std::sort(kernels.begin(), kernels.end(), [&](const auto& a, const auto& b) { return installed.at(a) > installed.at(b); });
  out.insert(out.end(), kernels.begin(), kernels.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

namespace {

// Kernel versions compare by their numbers (6.17.10-1 after 6.17.9-3).
std::vector<long> KernelNumbers(const std::string& v) {
  std::vector<long> out;
  long cur = -1;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
    } else if (cur >= 0) {
      out.push_back(cur);
      cur = -1;
    }
  }
  if (cur >= 0) out.push_back(cur);
  return out;
}

}  // namespace

std::string NewestInstalledKernel(const json& apt_versions) {
  static const std::regex image(R"(^(?:proxmox|pve)-kernel-(\d+\.\d+\.\d+-\d+)-pve(?:-signed)?$)");
  static const std::regex meta(R"(^proxmox-kernel-\d+\.\d+$)");
  std::string best;
  for (const auto& e : apt_versions) {
    if (!e.is_object() || e.value("CurrentState", "Installed") != "Installed") continue;
    std::string name = e.value("Package", ""), version;
    std::smatch m;
    if (std::regex_match(name, m, image)) {
      version = m[1].str();
    } else if (std::regex_match(name, meta)) {
      version = e.value("Version", "");
    }
    if (!version.empty() && (best.empty() || KernelNumbers(version) > KernelNumbers(best))) best = version;
  }
  return best.empty() ? "" : best + "-pve";
}

json AptVersionEntry(int pve, const std::string& package, const std::string& version) {
  const PveRelease& rel = ReleaseOf(pve);
  bool is_kernel = package.rfind("proxmox-kernel-", 0) == 0;
  bool debian = package == "amd64-microcode" || package == "criu" || package == "lvm2" || package == "libqb0" ||
                package == "smartmontools" || package == "libspice-server1";
  json entry = {{"Package", package},
                {"Title", package == "pve-manager" ? "Proxmox Virtual Environment Management Tools"
                          : package == "proxmox-ve" ? "Proxmox Virtual Environment"
                                                    : package + " package"},
                {"Origin", debian ? "Debian" : "Proxmox"},
                {"Description", "Package " + package + " as installed on a Proxmox VE node."},
                {"Section", is_kernel ? "kernel" : package.rfind("lib", 0) == 0 ? "perl" : "admin"},
                {"Arch", package.rfind("libjs-", 0) == 0 || package == "pve-docs" ? "all" : "amd64"},
                {"Priority", package == "proxmox-ve" ? "important" : "optional"},
                {"Version", version},
                {"OldVersion", version},
                {"CurrentState", "Installed"}};
  if (package == "pve-manager") entry["ManagerVersion"] = version + "/" + rel.repoid;
  if (package == "proxmox-ve") entry["RunningKernel"] = rel.kernel;
  return entry;
}

}  // namespace pvesim
