# pvelab: one node's life — its private files prepared in its overlay upper layers, its namespaces started
# (node-init as PID 1), and its end (killing PID 1 ends every process of the node at once).

# Writes the node's own files straight into its upper layers before the overlays are mounted: they then
# shadow the host's files in the node only.
PrepareNodeFiles() {
  local i=$1 node dir up j
  node=$(NodeName "$i")
  dir=$(NodeDir "$i")
  up=$dir/upper
  # One upper folder per overlay, named after the folder with '/' turned into '-' (see node-init).
  mkdir -p "$up/etc/ssh" "$up/etc/corosync" "$up/etc/apt/apt.conf.d" "$up/usr/bin" "$up/var-lib-apt" \
    "$up/var-lib-dpkg" "$up/var-cache-apt" "$up/var-log"
  echo "$node" >"$up/etc/hostname"
  {
    echo "127.0.0.1 localhost.localdomain localhost"
    for j in $(seq 1 "$LAB_NODE_COUNT"); do
      echo "$(NodeAddr "$j" mgmt) $(NodeName "$j").$LAB_DOMAIN $(NodeName "$j")"
    done
  } >"$up/etc/hosts"
  WriteInterfaces "$i" "$up/etc/network/interfaces"
  WriteSshdFiles "$i" "$up/etc/ssh"
  WriteCorosyncFiles "$i" "$up/etc/corosync"
  WriteAptFiles "$i" "$up"
  SeedBaseline "$i" "$up" || true
  install -m 0755 "$PVELAB_HOME"/node-bin/* "$up/usr/bin/"
}

# The node's /etc/network/interfaces in ifupdown2's format, describing the addresses it really has (the lab
# applies no network changes: pvesim reads and stages this file). With `up --installer-nics` it is the file
# the PVE installer writes instead: those NICs, vmbr0 on the first with the management address (the
# corosync link addresses then live only on the node's own interfaces, as on a node whose admin has not yet
# declared them).
WriteInterfaces() {
  local i=$1 out=$2 net n=0 nic first=""
  mkdir -p "$(dirname "$out")"
  if [ -n "${LAB_INSTALLER_NICS:-}" ]; then
    {
      printf 'auto lo\niface lo inet loopback\n'
      for nic in $LAB_INSTALLER_NICS; do
        printf '\niface %s inet manual\n' "$nic"
        if [ -z "$first" ]; then
          first=$nic
          printf '\nauto vmbr0\niface vmbr0 inet static\n\taddress %s/24\n\tbridge-ports %s\n\tbridge-stp off\n\tbridge-fd 0\n' \
            "$(NodeAddr "$i" mgmt)" "$nic"
        fi
      done
    } >"$out"
    return 0
  fi
  {
    printf 'auto lo\niface lo inet loopback\n'
    for net in mgmt link0 link1; do
      printf '\nauto eth%d\niface eth%d inet static\n\taddress %s/24\n#%s\n' "$n" "$n" "$(NodeAddr "$i" "$net")" \
        "$(case $net in mgmt) echo management ;; *) echo "corosync $net" ;; esac)"
      n=$((n + 1))
    done
  } >"$out"
}

# Starts node INDEX's namespaces with node-init as PID 1 and waits until it is ready. unshare stays as
# the init's parent; --kill-child ends the node if unshare is killed.
StartNode() {
  local i=$1 node dir upid pid
  node=$(NodeName "$i")
  dir=$(NodeDir "$i")
  setsid unshare --kill-child=SIGKILL --fork --pid --mount --uts --ipc --net \
    "$PVELAB_HOME/node-init" "$node" "$dir" "$LAB_CFS" ${NODE_CLUSTER_CFS:-} </dev/null >"$dir/init.log" 2>&1 &
  upid=$!
  echo "$upid" >"$dir/unshare.pid"
  PidStart "$upid" >"$dir/unshare.start"
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    pid=$(awk "{ print \$1 }" "/proc/$upid/task/$upid/children" 2>/dev/null || true)
    [ -n "$pid" ] && break
    PidAlive "$upid" || Die "node $node: unshare failed: $(cat "$dir/init.log")"
    sleep 0.01
  done
  [ -n "$pid" ] || Die "node $node: no init process after ${PVELAB_WAIT_S} s"
  echo "$pid" >"$dir/init.pid"
  PidStart "$pid" >"$dir/init.start"
}

# Waits until node-init of node INDEX printed "ready" (its mounts are in place).
WaitNodeReady() {
  local i=$1 dir
  dir=$(NodeDir "$i")
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    grep -q '^ready$' "$dir/init.log" 2>/dev/null && return 0
    PidAlive "$(NodeInitPid "$i")" || Die "node $(NodeName "$i"): node-init failed: $(cat "$dir/init.log")"
    sleep 0.01
  done
  Die "node $(NodeName "$i"): not ready after ${PVELAB_WAIT_S} s: $(cat "$dir/init.log")"
}

# Kills every process of node INDEX: SIGKILL to its PID 1 makes the kernel kill the whole PID namespace,
# and with the last process the mount namespace (overlays, tmpfs) and network namespace (veths) go too.
KillNode() {
  local dir=$1 pid start upid ustart
  pid=$(cat "$dir/init.pid" 2>/dev/null || true)
  start=$(cat "$dir/init.start" 2>/dev/null || true)
  upid=$(cat "$dir/unshare.pid" 2>/dev/null || true)
  ustart=$(cat "$dir/unshare.start" 2>/dev/null || true)
  # Compare start times so that a recycled PID of an unrelated process is never killed — with pid_max at
  # 32768 and labs running side by side, a dead lab's unshare PID soon names another lab's node.
  if [ -n "$pid" ] && PidAlive "$pid" && [ "$(PidStart "$pid")" = "$start" ]; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$upid" ] && PidAlive "$upid" && [ "$(PidStart "$upid")" = "$ustart" ] &&
    grep -q unshare "/proc/$upid/comm" 2>/dev/null; then
    kill -KILL "$upid" 2>/dev/null || true
  fi
}

# Waits (up to 5 s) until node-init in DIR is gone.
WaitNodeGone() {
  local dir=$1 pid start
  pid=$(cat "$dir/init.pid" 2>/dev/null || true)
  start=$(cat "$dir/init.start" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  for _ in $(seq 1 500); do
    if ! PidAlive "$pid" || [ "$(PidStart "$pid")" != "$start" ]; then return 0; fi
    sleep 0.01
  done
  Log "node in $dir: init $pid still alive after 5 s"
  return 1
}
