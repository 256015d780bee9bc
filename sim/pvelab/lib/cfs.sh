# pvelab: the cluster-wide /etc/pve — one folder (LAB_DIR/pve) every node mounts — laid out as
# `pvecm create` + `pvecm add` leave it, and pvelab-cfsd, which gives it pmxcfs's behaviour that matters
# (corosync.conf propagation, expiring lock folders, read-only without quorum).

CreateCfsTree() {
  local i node
  mkdir -p "$LAB_CFS/priv/lock" "$LAB_CFS/ha" "$LAB_CFS/nodes" "$LAB_CFS/sdn" "$LAB_CFS/virtual-guest"
  chmod 0700 "$LAB_CFS/priv"
  # Mount points for the node's own views (see node-init): pmxcfs shows them as symlinks to nodes/<self>.
  mkdir -p "$LAB_CFS/local" "$LAB_CFS/qemu-server" "$LAB_CFS/lxc"
  for i in $(seq 1 "$LAB_NODE_COUNT"); do
    node=$(NodeName "$i")
    mkdir -p "$LAB_CFS/nodes/$node/qemu-server" "$LAB_CFS/nodes/$node/lxc" "$LAB_CFS/nodes/$node/openvz" \
      "$LAB_CFS/nodes/$node/priv"
  done
  WriteClusterCorosyncConf "$LAB_CFS/corosync.conf"
  install -m 0600 "$LAB_DIR/ssh/id_ed25519.pub" "$LAB_CFS/priv/authorized_keys"
  cp "$LAB_DIR/ssh/known_hosts" "$LAB_CFS/priv/known_hosts"
  printf 'keyboard: en-us\n' >"$LAB_CFS/datacenter.cfg"
  printf 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n' >"$LAB_CFS/storage.cfg"
  printf 'user:root@pam:1:0:::root@localhost:::\n' >"$LAB_CFS/user.cfg"
}

# Starts the lab's pvelab-cfsd (one per lab, in the root namespace): it watches LAB_CFS and every node.
StartCfsd() {
  [ -x "$PVELAB_CFSD" ] || Die "pvelab-cfsd not found at '$PVELAB_CFSD' (build the project, or set PVELAB_CFSD)"
  setsid "$PVELAB_CFSD" --lab "$LAB_DIR" </dev/null >>"$LAB_DIR/cfsd.log" 2>&1 &
  echo $! >"$LAB_DIR/cfsd.pid"
  PidStart "$!" >"$LAB_DIR/cfsd.start"
}

# Waits until pvelab-cfsd has seen every node once (it writes status/ready).
WaitCfsdReady() {
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    [ -f "$LAB_DIR/status/ready" ] && return 0
    PidAlive "$(cat "$LAB_DIR/cfsd.pid")" || Die "pvelab-cfsd exited: $(tail -5 "$LAB_DIR/cfsd.log")"
    sleep 0.01
  done
  Die "pvelab-cfsd not ready after ${PVELAB_WAIT_S} s: $(tail -5 "$LAB_DIR/cfsd.log")"
}

# Waits until pvelab-cfsd has seen every node quorate and made its /etc/pve writable (its status can trail
# corosync's quorum by a moment; a lab handed out before that refuses the first writes).
WaitCfsWritable() {
  local name ok
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    ok=1
    for name in $LAB_NODE_NAMES; do
      grep -q '"cfs_writable": *true' "$LAB_DIR/status/$name.json" 2>/dev/null || { ok=0; break; }
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.01
  done
  Die "lab $LAB_ID: /etc/pve not writable on every node after ${PVELAB_WAIT_S} s"
}

StopCfsd() {
  local dir=$1 pid
  pid=$(cat "$dir/cfsd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && PidAlive "$pid" && [ "$(PidStart "$pid")" = "$(cat "$dir/cfsd.start" 2>/dev/null)" ]; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
