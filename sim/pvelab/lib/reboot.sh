# pvelab: a node's reboot — what a real reboot does to the cluster, without a kernel to load: the node's
# daemons stop (corosync leaves the membership, SSH stops answering), the node stays down for a while, then
# it "boots" the newest kernel its dpkg database holds (proxmox-kernel-X-pve[-signed]) and starts its
# daemons again (corosync rejoins). pvesim joined to the lab runs it for POST /nodes/{node}/status
# command=reboot; `pvelab fault ID boot-fail NODE` makes the next boots of NODE fail (its daemons stay down).

# The marker pvesim reads while NODE is down (lab_node_facts.cc): its API answers nothing, and the
# cluster-wide services pvesim stands for are seen from another member.
RebootMarker() { echo "$LAB_DIR/nodes/$1/rebooting"; }
BootFailMarker() { echo "$LAB_DIR/nodes/$1/boot-fails"; }

# The newest kernel image installed in node INDEX ("6.17.9-1-pve"), empty when none is.
NewestInstalledKernel() {
  InNode "$1" dpkg-query -W -f '${Package}\t${Status}\n' 'proxmox-kernel-*' 'pve-kernel-*' 2>/dev/null |
    awk -F'\t' '$2 == "install ok installed" { print $1 }' |
    sed -n -E 's/^(proxmox|pve)-kernel-([0-9]+\.[0-9]+\.[0-9]+-[0-9]+-pve)(-signed)?$/\2/p' |
    sort -V | tail -n 1
}

# pvelab reboot ID NODE: stops NODE's daemons, waits PVELAB_REBOOT_DOWN_S seconds (default 1), then boots
# it: the running kernel becomes the newest installed one, corosync and sshd start again.
RebootNode() {
  local node=${1:?usage: pvelab reboot ID NODE} i marker kernel down=${PVELAB_REBOOT_DOWN_S:-1}
  i=$(NodeIndex "$node")
  marker=$(RebootMarker "$node")
  : >"$marker"
  Log "reboot $node: stopping its daemons"
  StopDaemon "$i" sshd TERM
  StopDaemon "$i" corosync TERM
  sleep "$down"
  if [ -e "$(BootFailMarker "$node")" ]; then
    Log "reboot $node: the boot fails (pvelab fault boot-fail): its daemons stay down"
    return 0
  fi
  kernel=$(NewestInstalledKernel "$i" || true)
  if [ -n "$kernel" ]; then
    InNode "$i" sh -c 'mkdir -p /run/pvelab && echo "$1" >/run/pvelab/running-kernel' sh "$kernel"
  fi
  Log "reboot $node: booting ${kernel:-the kernel it ran}; starting corosync and sshd"
  StartCorosync "$i"
  StartSshd "$i"
  rm -f "$marker"
}
