# pvelab: a new lab's identity — its id and its three private /24 networks — chosen so that several labs
# (other developers' and parallel tests') never collide. Runs under a machine-wide lock.

# A fresh 6-character id: short enough that every interface name stays within the kernel's 15 characters.
NewLabId() {
  local id
  while :; do
    id=$(tr -dc 'a-z0-9' </dev/urandom | head -c 6)
    [ -e "$PVELAB_ROOT/$id" ] || { echo "$id"; return; }
  done
}

# True when the /24 network PREFIX ("10.0.0") is used by a live lab or by an address or route on this host.
NetTaken() {
  local p=$1 f re
  re=${p//./\\.}
  for f in "$PVELAB_ROOT"/*/nets; do
    [ -f "$f" ] && grep -qx "$re" "$f" && return 0
  done
  ip -o -4 addr show 2>/dev/null | grep -q " $re\." && return 0
  ip -o -4 route show 2>/dev/null | grep -q "^$re\." && return 0
  return 1
}

# True when slot S (the second octet of 10.S.0.0/16) is used by a live lab or any address on this host.
SlotTaken() {
  local s=$1 f
  for f in "$PVELAB_ROOT"/*/slot; do
    [ -f "$f" ] && [ "$(cat "$f")" = "$s" ] && return 0
  done
  ip -o -4 addr show 2>/dev/null | grep -q " 10\.$s\." && return 0
  ip -o -4 route show 2>/dev/null | grep -q "^10\.$s\." && return 0
  NetTaken "10.$s.0" || NetTaken "10.$s.10" || NetTaken "10.$s.20"
}

# Reserves the three /24 networks given with `up --networks` (a spec's own addresses) for the lab in DIR. A
# lab never shadows a network the host can reach: while one of them is used by another lab (which ends) it
# waits, up to PVELAB_WAIT_S; then, or at once when the host itself uses it, it dies.
ReserveNets() {
  local dir=$1 p busy tries=0
  shift
  for p in "$@"; do
    [[ $p =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || Die "up: --networks: '$p' is not a /24 prefix like 10.0.0"
  done
  while :; do
    exec 9>"$PVELAB_ROOT/.alloc.lock"
    flock 9
    busy=""
    for p in "$@"; do
      if NetTaken "$p"; then busy=$p; break; fi
    done
    if [ -z "$busy" ]; then
      printf '%s\n' "$@" >"$dir/nets"
      echo fixed >"$dir/slot"
      flock -u 9
      exec 9>&-
      return 0
    fi
    flock -u 9
    exec 9>&-
    if ip -o -4 addr show 2>/dev/null | grep -v " ${PVELAB_IFPREFIX}" | grep -q " ${busy//./\\.}\." ||
      [ "$tries" -ge "$PVELAB_POLLS" ]; then
      Die "up: --networks: $busy.0/24 is used on this host or by another lab"
    fi
    tries=$((tries + 10))
    sleep 0.1
  done
}

# Reserves a slot for lab ID and writes it to the lab's folder; prints the slot.
# Slots 20..219 are derived from the id (so a given id tends to get the same networks) and probed upwards.
AllocSlot() {
  local id=$1 dir=$2 start s n
  start=$(( $(printf '%s' "$id" | cksum | cut -d' ' -f1) % 200 ))
  exec 9>"$PVELAB_ROOT/.alloc.lock"
  flock 9
  for n in $(seq 0 199); do
    s=$(( 20 + (start + n) % 200 ))
    if ! SlotTaken "$s"; then
      echo "$s" >"$dir/slot"
      printf '10.%s.0\n10.%s.10\n10.%s.20\n' "$s" "$s" "$s" >"$dir/nets"
      flock -u 9
      exec 9>&-
      echo "$s"
      return 0
    fi
  done
  flock -u 9
  exec 9>&-
  Die "no free 10.x.0.0/16 slot for a new lab (200 labs exist?)"
}
