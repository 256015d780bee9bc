# pvelab: shared helpers — paths, logging, the lab's saved settings, running commands inside a node.
# Sourced by ../pvelab; every other lib file relies on these names.

# Where every lab lives (one folder per lab id); `gc` and `down --all` look only here.
: "${PVELAB_ROOT:=/run/hainfra-pvelab}"
# Built apt repositories, reused between runs (keyed by the content of the package list).
: "${PVELAB_CACHE:=/var/cache/hainfra-pvelab}"
# Every interface name of every lab starts with this (bridges, veths): how gc recognises ours.
readonly PVELAB_IFPREFIX=hxl

PVELAB_QUIET=${PVELAB_QUIET:-0}
# How long any wait of pvelab may last (a node ready, sshd answering, quorum, ...): generous, because a
# machine busy with builds slows everything down. Waits poll every 10 ms: PVELAB_POLLS is that count.
: "${PVELAB_WAIT_S:=60}"
PVELAB_POLLS=$((PVELAB_WAIT_S * 100))

Log() { [ "$PVELAB_QUIET" = 1 ] || printf 'pvelab: %s\n' "$*" >&2; }
Die() { printf 'pvelab: error: %s\n' "$*" >&2; exit 1; }

# Milliseconds since the epoch, for the timings `up` reports.
NowMs() { date +%s%3N; }

# With PVELAB_TRACE=1, logs how long `up` took to reach each phase.
PVELAB_T0=$(NowMs)
Phase() { [ "${PVELAB_TRACE:-0}" != 1 ] || printf 'pvelab: %6d ms  %s\n' "$(( $(NowMs) - PVELAB_T0 ))" "$*" >&2; }

# True when PID names a live process (not a zombie).
PidAlive() {
  local pid=$1 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# The kernel's start time of PID (clock ticks since boot): with the PID it names one process for good.
PidStart() {
  awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null
}

# Loads a lab's settings (written by SaveLab) into LAB_* and NODE_* variables.
LoadLab() {
  local id=$1
  LAB_DIR="$PVELAB_ROOT/$id"
  [ -f "$LAB_DIR/lab.env" ] || Die "no lab '$id' (no $LAB_DIR/lab.env)"
  # shellcheck disable=SC1091
  . "$LAB_DIR/lab.env"
}

# The node's index (1-based) from its name or index; dies on an unknown node.
NodeIndex() {
  local want=$1 i
  for i in $(seq 1 "$(AllNodeCount)"); do  # members, then spare nodes (lib/spare.sh)
    if [ "$want" = "$i" ] || [ "$want" = "$(NodeName "$i")" ]; then echo "$i"; return 0; fi
  done
  Die "lab $LAB_ID has no node '$want' (nodes: $LAB_NODE_NAMES)"
}

NodeName() { echo $LAB_NODE_NAMES ${LAB_SPARE_NAMES:-} | tr ' ' '\n' | sed -n "${1}p"; }
NodeDir() { echo "$LAB_DIR/nodes/$(NodeName "$1")"; }
NodeInitPid() { cat "$(NodeDir "$1")/init.pid" 2>/dev/null; }
NodeAddr() {  # NodeAddr INDEX mgmt|link0|link1
  local i=$1 net=$2 prefix
  case $net in
    mgmt) prefix=$LAB_NET_MGMT ;; link0) prefix=$LAB_NET_LINK0 ;; link1) prefix=$LAB_NET_LINK1 ;;
    *) Die "unknown network '$net' (mgmt, link0, link1)" ;;
  esac
  echo "$prefix.$((${LAB_HOST_BASE:-10} + i))"
}
# Host-side veth of node INDEX on a network (the node side is eth0/eth1/eth2).
NodeVeth() {
  local suffix
  case $2 in mgmt) suffix=m ;; link0) suffix=a ;; link1) suffix=b ;; *) Die "unknown network '$2'" ;; esac
  echo "${PVELAB_IFPREFIX}${LAB_ID}${1}${suffix}"
}

# Runs a command inside every namespace of node INDEX (mount, UTS, network, IPC, PID), as root.
InNode() {
  local i=$1 pid
  shift
  pid=$(NodeInitPid "$i")
  PidAlive "$pid" || Die "node $(NodeName "$i") of lab $LAB_ID is not running"
  nsenter -t "$pid" -a -- "$@"
}
