# pvelab: real corosync (knet, two links) on every node — the cluster's corosync.conf as Proxmox VE writes
# it, the authkey every member shares, starting the daemon, and waiting for quorum.

# The cluster's corosync.conf, in the layout `pvecm create`/`pvecm add` leave in /etc/pve/corosync.conf.
WriteClusterCorosyncConf() {
  local out=$1 i
  {
    cat <<EOF
logging {
  debug: off
  to_syslog: yes
  to_logfile: yes
  logfile: /var/log/corosync/corosync.log
  timestamp: hires
}

nodelist {
EOF
    for i in $(seq 1 "$LAB_NODE_COUNT"); do
      cat <<EOF
  node {
    name: $(NodeName "$i")
    nodeid: $i
    quorum_votes: 1
    ring0_addr: $(NodeAddr "$i" link0)
    ring1_addr: $(NodeAddr "$i" link1)
  }
EOF
    done
    cat <<EOF
}

quorum {
  provider: corosync_votequorum
}

totem {
  cluster_name: $LAB_CLUSTER
  config_version: 1
  interface {
    knet_ping_interval: 100
    knet_ping_timeout: 500
    linknumber: 0
  }
  interface {
    knet_ping_interval: 100
    knet_ping_timeout: 500
    linknumber: 1
  }
  ip_version: ipv4-6
  link_mode: passive
  secauth: on
EOF
    # Proxmox leaves token at corosync's default (3650 ms for 3 nodes); a shorter one makes faults fast.
    # knet must still notice a dead link before the token times out, or one cut link costs a membership
    # change: hence the short knet ping settings in the interface sections above.
    [ -n "$LAB_TOKEN" ] && echo "  token: $LAB_TOKEN"
    cat <<EOF
  version: 2
}
EOF
  } >"$out"
}

# The shared authkey, made once per lab. Proxmox hands it to a joining node with the join information and
# the node writes it to /etc/corosync/authkey; here every node gets the same file at setup.
MakeCorosyncKey() {
  corosync-keygen -l -k "$LAB_DIR/corosync-authkey" >/dev/null 2>&1 ||
    head -c 256 /dev/urandom >"$LAB_DIR/corosync-authkey"
  chmod 0400 "$LAB_DIR/corosync-authkey"
}

# The node's /etc/corosync: a copy of the cluster's corosync.conf and the authkey.
WriteCorosyncFiles() {
  local etc_corosync=$2
  install -m 0644 "$LAB_CFS/corosync.conf" "$etc_corosync/corosync.conf"
  install -m 0400 "$LAB_DIR/corosync-authkey" "$etc_corosync/authkey"
}

StartCorosync() {
  # Daemonizes; its PID file is /run/corosync.pid inside the node. RLIMIT_MEMLOCK cannot be raised here
  # (no CAP_SYS_RESOURCE): corosync warns and runs on.
  InNode "$1" corosync >/dev/null 2>&1
}

# True when node INDEX's corosync reports a quorate partition.
NodeQuorate() {
  InNode "$1" corosync-quorumtool -s 2>/dev/null | grep -q '^Quorate: *Yes'
}

# Waits until every node is quorate with all votes; prints nothing, dies after TIMEOUT seconds.
WaitClusterQuorate() {
  local timeout=${1:-20} deadline i ok
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    ok=1
    for i in $(seq 1 "$LAB_NODE_COUNT"); do
      if ! InNode "$i" corosync-quorumtool -s 2>/dev/null |
        grep -q "^Total votes: *$LAB_NODE_COUNT\$"; then ok=0; break; fi
    done
    [ "$ok" = 1 ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || Die "lab $LAB_ID: not all $LAB_NODE_COUNT nodes quorate after ${timeout}s"
    sleep 0.05
  done
}
