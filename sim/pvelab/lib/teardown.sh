# pvelab: ending labs — one lab by id, every lab, or only the leftovers (labs whose owner process died,
# labs whose nodes all died, interfaces and node processes whose lab folder is gone).

# Ends lab ID whatever state it is in (half set up, crashed, healthy), quietly and idempotently.
DownLab() {
  local id=$1 dir node_dir
  dir=$PVELAB_ROOT/$id
  [ -d "$dir" ] || { DeleteLabLinks "$id"; return 0; }
  # First the helpers that could react to the nodes dying (cfsd writes status, pvesim reads it).
  StopCfsd "$dir"
  StopSim "$dir"
  for node_dir in "$dir"/nodes/*/; do
    [ -d "$node_dir" ] && KillNode "$node_dir"
  done
  for node_dir in "$dir"/nodes/*/; do
    [ -d "$node_dir" ] && WaitNodeGone "$node_dir"
  done
  DeleteLabLinks "$id"
  # Mounts live in the nodes' mount namespaces, gone with their last process; refuse to delete a folder
  # that is still mounted somewhere in this namespace rather than descend into it.
  if grep -q " $dir/" /proc/self/mountinfo; then
    Log "lab $id: mounts remain under $dir; leaving the folder"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

# True when lab folder DIR must go: its owner process died, or it has nodes and none of them runs.
# A lab whose `up` is still running is never a leftover.
LabIsLeftover() {
  local dir=$1 pid start node_dir alive=0 any=0
  pid=$(cat "$dir/up.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    # `up` removes up.pid when it succeeds: a lab whose `up` is gone without doing so never came up.
    if PidAlive "$pid" && [ "$(PidStart "$pid")" = "$(cat "$dir/up.start" 2>/dev/null)" ]; then
      return 1
    fi
    return 0
  fi
  if [ -f "$dir/owner.pid" ]; then
    pid=$(cat "$dir/owner.pid")
    start=$(cat "$dir/owner.start" 2>/dev/null || true)
    if ! PidAlive "$pid" || [ "$(PidStart "$pid")" != "$start" ]; then return 0; fi
  fi
  for node_dir in "$dir"/nodes/*/; do
    [ -f "$node_dir/init.pid" ] || continue
    any=1
    PidAlive "$(cat "$node_dir/init.pid")" && alive=1
  done
  [ ! -f "$dir/lab.env" ] && [ "$any" = 0 ] && return 0   # an `up` that died before starting nodes
  [ "$any" = 1 ] && [ "$alive" = 0 ]
}

# Removes the leftovers of this project's labs only (names under PVELAB_ROOT, interfaces named hxl*).
GcLabs() {
  local dir id name pid
  for dir in "$PVELAB_ROOT"/*/; do
    [ -d "$dir" ] || continue
    id=$(basename "$dir")
    if LabIsLeftover "$dir"; then
      Log "gc: removing leftover lab $id"
      DownLab "$id" || true
    fi
  done
  # Folders of `up`s that died before naming their lab.
  find "$PVELAB_ROOT" -maxdepth 1 -name '.new.*' -mmin +1 -exec rm -rf --one-file-system {} + 2>/dev/null || true
  # Cached repositories and baselines no lab used for a week (older package lists, older host states).
  find "$PVELAB_CACHE" -maxdepth 1 \( -name 'repo-*' -o -name 'baseline-*' -o -name '.build.*' -o -name '.baseline.*' \) \
    -mtime +7 -exec rm -rf --one-file-system {} + 2>/dev/null || true
  # Interfaces of labs whose folder is gone.
  for name in $(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
    grep "^${PVELAB_IFPREFIX}[a-z0-9]\{6\}"); do
    id=${name:${#PVELAB_IFPREFIX}:6}
    [ -d "$PVELAB_ROOT/$id" ] || ip link del "$name" 2>/dev/null || true
  done
  # Node processes (unshare running node-init) whose lab folder is gone.
  for pid in $(pgrep -x unshare 2>/dev/null); do
    name=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    case $name in
      *node-init*" $PVELAB_ROOT/"*)
        id=${name#*" $PVELAB_ROOT/"}
        id=${id%%/*}
        [ -d "$PVELAB_ROOT/$id" ] || { Log "gc: killing orphan node process $pid"; kill -KILL "$pid" 2>/dev/null || true; }
        ;;
    esac
  done
}
