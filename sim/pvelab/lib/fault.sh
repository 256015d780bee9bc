# pvelab: the faults a test injects into a running lab — links, isolation, daemons, SSH reachability,
# and lock holders — each undoable, each acting on one node.

FaultUsage() {
  cat <<'EOF'
usage: pvelab fault ID FAULT NODE [ARG]
  link-down NODE link0|link1|mgmt    cut one network of one node (root-namespace side of its veth)
  link-up   NODE link0|link1|mgmt    restore it
  isolate   NODE                     cut all three networks (corosync links and management)
  heal      NODE                     restore all three
  ssh-unreachable NODE               cut the management network only (SSH and the API unreachable)
  ssh-reachable   NODE               restore it
  stop      NODE corosync|sshd       stop the daemon (SIGTERM, then SIGKILL after 5 s)
  kill      NODE corosync|sshd       kill the daemon at once (SIGKILL), like a crash
  start     NODE corosync|sshd       start it again
  restart   NODE corosync|sshd       stop, then start
  ssh-cut   NODE                     kill every open SSH session of the node (the listener stays up):
                                     a client's command dies mid-way, new connections work
  freeze    NODE                     SIGSTOP every process of the node (a hung node: TCP stays open,
                                     nothing answers)
  thaw      NODE                     SIGCONT them
  kill-lock-holder NAME              SIGKILL the holder started by `pvelab lock ID hold NODE NAME`
  boot-fail NODE                     NODE's next reboots fail: its daemons stay down (`pvelab reboot`)
  boot-ok   NODE                     its reboots work again (start its daemons with `start`)
EOF
}

Fault() {
  local fault=${1:-} node=${2:-} arg=${3:-} i net
  [ -n "$fault" ] || { FaultUsage >&2; exit 2; }
  if [ "$fault" = kill-lock-holder ]; then
    KillLockHolder "$node"
    return
  fi
  [ -n "$node" ] || { FaultUsage >&2; exit 2; }
  i=$(NodeIndex "$node")
  case $fault in
    link-down|link-up)
      case $arg in mgmt|link0|link1) ;; *) Die "fault $fault: network must be link0, link1 or mgmt" ;; esac
      SetNodeLink "$i" "$arg" "${fault#link-}" ;;
    isolate) for net in link0 link1 mgmt; do SetNodeLink "$i" "$net" down; done ;;
    heal) for net in link0 link1 mgmt; do SetNodeLink "$i" "$net" up; done ;;
    ssh-unreachable) SetNodeLink "$i" mgmt down ;;
    ssh-reachable) SetNodeLink "$i" mgmt up ;;
    ssh-cut) CutSshSessions "$i" ;;
    boot-fail) : >"$(BootFailMarker "$node")" ;;
    boot-ok) rm -f "$(BootFailMarker "$node")" ;;
    # kill -1 inside the node's PID namespace: every process but its init and the caller.
    freeze) InNode "$i" sh -c 'kill -STOP -1' ;;
    thaw) InNode "$i" sh -c 'kill -CONT -1' ;;
    stop|kill|start|restart)
      case $arg in
        corosync|sshd) ;;
        *) Die "fault $fault: daemon must be corosync or sshd" ;;
      esac
      case $fault in
        stop) StopDaemon "$i" "$arg" TERM ;;
        kill) StopDaemon "$i" "$arg" KILL ;;
        start) StartDaemon "$i" "$arg" ;;
        restart) StopDaemon "$i" "$arg" TERM; StartDaemon "$i" "$arg" ;;
      esac ;;
    *) FaultUsage >&2; exit 2 ;;
  esac
}

# Stops corosync or sshd of node INDEX by the PID file it wrote inside the node.
StopDaemon() {
  local i=$1 daemon=$2 signal=$3
  InNode "$i" sh -c '
    f=/run/$1.pid; p=$(cat "$f" 2>/dev/null) || exit 0
    kill -"$2" "$p" 2>/dev/null || { rm -f "$f"; exit 0; }
    n=0
    while kill -0 "$p" 2>/dev/null && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
    kill -KILL "$p" 2>/dev/null
    rm -f "$f"' sh "$daemon" "$signal"
}

# Kills the per-connection sshd processes of node INDEX (children of the listener whose PID file is
# /run/sshd.pid), and so the sessions and the commands they run; the listener keeps accepting.
CutSshSessions() {
  InNode "$1" sh -c '
    p=$(cat /run/sshd.pid 2>/dev/null) || { echo "sshd is not running" >&2; exit 1; }
    for d in /proc/[0-9]*; do
      pp=$(sed -n "s/^PPid:[[:space:]]*//p" "$d/status" 2>/dev/null)
      [ "$pp" = "$p" ] && kill -KILL "${d#/proc/}" 2>/dev/null
    done
    exit 0'
}

StartDaemon() {
  case $2 in
    corosync) StartCorosync "$1" ;;
    sshd) StartSshd "$1" ;;
  esac
}

# Lock holders: a process inside a node that holds /etc/pve/priv/lock/NAME as Proxmox's cfs_lock does
# (mkdir, then refresh by touching the folder), for tests of lock contention and expiry.
LockCommand() {
  local op=${1:-} node=${2:-} name=${3:-} i dir pid
  case $op in
    hold)
      [ -n "$name" ] || Die "usage: pvelab lock ID hold NODE NAME [REFRESH-SECONDS]"
      i=$(NodeIndex "$node")
      PidAlive "$(NodeInitPid "$i")" || Die "node $node is not running"
      dir=$LAB_DIR/locks
      mkdir -p "$dir"
      # The holder prints "held" once the folder is its own, then refreshes until it is killed.
      nsenter -t "$(NodeInitPid "$i")" -a -- sh -c '
        d=/etc/pve/priv/lock/$1
        mkdir "$d" 2>/dev/null || { echo "lock $1 is held by someone else" >&2; exit 1; }
        echo held
        while :; do sleep "$2"; touch "$d" 2>/dev/null; done' sh "$name" "${4:-1}" >"$dir/$name.out" 2>&1 &
      pid=$!
      echo "$pid" >"$dir/$name.pid"
      for _ in $(seq 1 "$PVELAB_POLLS"); do
        grep -q '^held$' "$dir/$name.out" 2>/dev/null && { echo "$pid"; return 0; }
        PidAlive "$pid" || Die "lock $name: $(cat "$dir/$name.out")"
        sleep 0.01
      done
      Die "lock $name: holder did not start" ;;
    release)
      name=$node
      KillLockHolder "$name"
      rmdir "$LAB_CFS/priv/lock/$name" 2>/dev/null || true ;;
    *) Die "usage: pvelab lock ID hold NODE NAME [REFRESH-SECONDS] | release NAME" ;;
  esac
}

# Kills the holder of lock NAME (and the in-node shell it runs) without removing the lock folder: the
# lock stays until it expires, as after a crash.
KillLockHolder() {
  local name=$1 pid f=$LAB_DIR/locks/$1.pid
  [ -f "$f" ] || Die "no holder of lock '$name' was started by pvelab"
  pid=$(cat "$f")
  # nsenter's child (the holder shell inside the node) first, then nsenter itself.
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}
