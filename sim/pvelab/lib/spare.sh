# pvelab: spare nodes — installed like the others (sshd, dpkg/apt, the lab's networks) but not in the
# cluster: no corosync.conf, no authkey, corosync not running, and a /etc/pve of their own (a standalone
# node's pmxcfs). `FinishJoin` is the joining node's local part of `pvecm add` (PVE::Cluster::Setup's
# finish_join), which pvesim --lab runs once the cluster has added the node to corosync.conf.

# Spare nodes follow the members in the node numbering (NodeName, NodeAddr, NodeVeth, InNode all work on
# them); LAB_SPARE_NAMES lists them.
SpareCount() { echo ${LAB_SPARE_NAMES:-} | wc -w; }
AllNodeCount() { echo $((LAB_NODE_COUNT + $(SpareCount))); }
SpareIndexes() { [ "$(SpareCount)" = 0 ] || seq $((LAB_NODE_COUNT + 1)) "$(AllNodeCount)"; }

# The spare names from `--spare-nodes N|a,b`: N more pve-NN after the members, or the names given.
SpareNames() {
  local arg=$1 members=$2 i n
  if [[ $arg =~ ^[0-9]+$ ]]; then
    n=$(echo $members | wc -w)
    for i in $(seq $((n + 1)) $((n + arg))); do printf 'pve-%02d ' "$i"; done
  else
    echo "$arg" | tr ',' ' '
  fi
}

# Keeps the spare names with the lab's settings (after SaveLab).
SaveSpares() {
  printf 'LAB_SPARE_NAMES=%q\n' "${LAB_SPARE_NAMES:-}" >>"$LAB_DIR/lab.env"
}

# Host keys of the spare nodes, added to the lab's known_hosts (before CreateCfsTree copies it).
MakeSpareSshKeys() {
  local i
  for i in $(SpareIndexes); do
    mkdir -p "$(NodeDir "$i")/ssh"
    ssh-keygen -q -t ed25519 -N '' -C "root@$(NodeName "$i")" -f "$(NodeDir "$i")/ssh/ssh_host_ed25519_key"
    echo "$(NodeAddr "$i" mgmt),$(NodeName "$i") $(cut -d' ' -f1,2 "$(NodeDir "$i")/ssh/ssh_host_ed25519_key.pub")" \
      >>"$LAB_DIR/ssh/known_hosts"
  done
}

# A standalone node's /etc/pve: only its own nodes/<name> folder and root's SSH files.
SpareCfsDir() { echo "$(NodeDir "$1")/pve-local"; }
CreateSpareCfsTree() {
  local i=$1 cfs node
  cfs=$(SpareCfsDir "$i")
  node=$(NodeName "$i")
  mkdir -p "$cfs/priv/lock" "$cfs/local" "$cfs/qemu-server" "$cfs/lxc" \
    "$cfs/nodes/$node/qemu-server" "$cfs/nodes/$node/lxc" "$cfs/nodes/$node/openvz" "$cfs/nodes/$node/priv"
  chmod 0700 "$cfs/priv"
  install -m 0600 "$LAB_DIR/ssh/id_ed25519.pub" "$cfs/priv/authorized_keys"
  cp "$LAB_DIR/ssh/known_hosts" "$cfs/priv/known_hosts"
}

# Starts every spare node: its files (as a member's, minus corosync's), its namespaces with its own
# /etc/pve, its links, sshd and the baseline packages. Corosync stays stopped.
StartSpareNodes() {
  local i up cluster_cfs=$LAB_CFS
  for i in $(SpareIndexes); do
    mkdir -p "$(NodeDir "$i")"
    PrepareNodeFiles "$i"
    up=$(NodeDir "$i")/upper
    # Not a member yet: no corosync.conf or authkey (a whiteout hides the host's default corosync.conf).
    rm -f "$up/etc/corosync/corosync.conf" "$up/etc/corosync/authkey"
    mknod "$up/etc/corosync/corosync.conf" c 0 0
    [ ! -e /etc/corosync/authkey ] || mknod "$up/etc/corosync/authkey" c 0 0
    echo "$(NodeAddr "$i" mgmt) $(NodeName "$i").$LAB_DOMAIN $(NodeName "$i")" >>"$up/etc/hosts"
    CreateSpareCfsTree "$i"
    LAB_CFS=$(SpareCfsDir "$i") NODE_CLUSTER_CFS=$cluster_cfs StartNode "$i"
    WaitNodeReady "$i"
    WireNode "$i"
    StartSshd "$i"
    AptUpdate "$i"
    InstallBaseline "$i"
  done
}

WaitSpareSshd() {
  local i
  for i in $(SpareIndexes); do WaitSshd "$i"; done
}

# True when node INDEX is a member of the cluster's corosync.conf.
InClusterConf() {
  grep -q "^ *name: $(NodeName "$1")\$" "$LAB_CFS/corosync.conf"
}

# The joining node's local part of a join, after the cluster added it to /etc/pve/corosync.conf (pvesim
# --lab has written the corosync.conf and authkey the cluster answered into its /etc/corosync): its
# /etc/pve becomes the cluster's (pmxcfs restarted in cluster mode), then its corosync starts; waits until
# it is quorate with every vote of the cluster ("waiting for quorum...OK").
FinishJoin() {
  local node=$1 i votes
  i=$(NodeIndex "$node")
  [ "$i" -gt "$LAB_NODE_COUNT" ] || Die "finish-join: $node is not a spare node of lab $LAB_ID"
  InClusterConf "$i" || Die "finish-join: $node is not in $LAB_CFS/corosync.conf"
  InNode "$i" test -s /etc/corosync/corosync.conf -a -s /etc/corosync/authkey ||
    Die "finish-join: $node has no /etc/corosync/corosync.conf and authkey"
  mkdir -p "$LAB_CFS/nodes/$node/qemu-server" "$LAB_CFS/nodes/$node/lxc" "$LAB_CFS/nodes/$node/openvz" \
    "$LAB_CFS/nodes/$node/priv"
  InNode "$i" sh -e -c '
    chmod 0400 /etc/corosync/authkey
    umount /etc/pve/lxc /etc/pve/qemu-server /etc/pve/local /etc/pve
    c=/run/pvelab/cluster-pve
    mount --bind $c /etc/pve
    mount --bind "$c/nodes/$1" /etc/pve/local
    mount --bind "$c/nodes/$1/qemu-server" /etc/pve/qemu-server
    mount --bind "$c/nodes/$1/lxc" /etc/pve/lxc' sh "$node" ||
    Die "finish-join: $node: switching /etc/pve to the cluster's failed"
  StartCorosync "$i" || Die "finish-join: $node: corosync did not start"
  votes=$(grep -c '^ *name: ' "$LAB_CFS/corosync.conf")
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    InNode "$i" corosync-quorumtool -s 2>/dev/null | grep -q "^Total votes: *$votes\$" && return 0
    sleep 0.01
  done
  Die "finish-join: $node: not quorate with $votes votes after ${PVELAB_WAIT_S} s"
}
