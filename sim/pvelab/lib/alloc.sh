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

# True when slot S (the second octet of 10.S.0.0/16) is used by a live lab or any address on this host.
SlotTaken() {
  local s=$1 f
  for f in "$PVELAB_ROOT"/*/slot; do
    [ -f "$f" ] && [ "$(cat "$f")" = "$s" ] && return 0
  done
  ip -o -4 addr show 2>/dev/null | grep -q " 10\.$s\." && return 0
  ip -o -4 route show 2>/dev/null | grep -q "^10\.$s\." && return 0
  return 1
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
