# pvelab: pvesim joined to the lab — started with `--lab DIR` so that its API's node-level facts come from
# the lab; its HAINFRA_… lines are added to the lab's.

StartSim() {
  local sim=$1
  shift
  [ -x "$sim" ] || Die "pvesim not found at '$sim'"
  # A free port and a state folder of the lab's own: several labs may each run a pvesim (later
  # --sim-arg flags override these).
  setsid "$sim" serve --lab "$LAB_DIR" --nodes "$(echo "$LAB_NODE_NAMES" | tr ' ' ',')" --port 0 \
    --state-dir "$LAB_DIR/pvesim" "$@" \
    </dev/null >"$LAB_DIR/sim.out" 2>"$LAB_DIR/sim.log" &
  echo $! >"$LAB_DIR/sim.pid"
  PidStart "$!" >"$LAB_DIR/sim.start"
  # pvesim prints its HAINFRA_… lines, then PVESIM_READY=1, once it serves.
  local ready=0
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    if grep -q '^PVESIM_READY=1' "$LAB_DIR/sim.out" 2>/dev/null; then ready=1; break; fi
    PidAlive "$(cat "$LAB_DIR/sim.pid")" || Die "pvesim exited: $(tail -5 "$LAB_DIR/sim.log")"
    sleep 0.01
  done
  [ "$ready" = 1 ] || Die "pvesim not ready after ${PVELAB_WAIT_S} s: $(tail -5 "$LAB_DIR/sim.log")"
  grep '^HAINFRA_\|^PVESIM_' "$LAB_DIR/sim.out" | grep -v '^HAINFRA_SSH_\|^PVESIM_READY' >"$LAB_DIR/sim.env" || true
}

StopSim() {
  local dir=$1 pid
  pid=$(cat "$dir/sim.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && PidAlive "$pid" && [ "$(PidStart "$pid")" = "$(cat "$dir/sim.start" 2>/dev/null)" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do PidAlive "$pid" || return 0; sleep 0.01; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
