#!/bin/sh
# The demo (./dev demo BUILD_DIR): validates the examples and shows how a spec with mistakes is reported,
# then starts the embedded simulator (a bare 3-node Proxmox VE 9 cluster) and runs the whole story on
# examples/demo/: plan -> apply -> plan (no changes) -> a change made behind hainfra's back through the API
# -> drift (exit 2) -> apply corrects it -> export. Runs as any user, without ../shared; stops pvesim on exit;
# exits non-zero when a step does not do what it should.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
hainfra="$build/cli/hainfra"
pvesim="$build/sim/pvesim/pvesim"
cd "$here/.."  # print paths relative to the checkout
spec=examples/demo

tmp=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=""; plain=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
fail() { echo "demo: $*" >&2; exit 1; }

# expect CODE COMMAND...: runs the command and stops the demo unless it exits with CODE.
expect() {
  want=$1; shift
  set +e
  "$@"
  got=$?
  set -e
  [ "$got" -eq "$want" ] || fail "\`$*\` exited with $got, expected $want"
}

"$hainfra" --version
status=0
for example in examples/minimal.yaml examples/lab-3node examples/astro-5node "$spec"; do
  step "hainfra validate $example"
  "$hainfra" validate "$example" || status=1
done
[ "$status" -eq 0 ] || fail "an example does not validate"

step "hainfra validate (a spec with mistakes, to show the messages)"
mkdir "$tmp/broken"
cat >"$tmp/broken/broken.yaml" <<'YAML'
nodes:
  - { name: pve-01, address: 10.0.0.11 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, content: [images] }
vms:
  - vmid: 100
    node: pve-02
    memroy: 2048
    disks: [ { slot: scsi0, storage: local-lvm, size: 32X } ]
    nets: [ { slot: net0, bridge: vmbr0, tag: 5000 } ]
YAML
(cd "$tmp/broken" && "$hainfra" validate broken.yaml) && fail "the broken spec validated"

step "start the simulator: a bare 3-node Proxmox VE 9 cluster"
[ -x "$pvesim" ] || fail "$pvesim is not built"
schema=""
if [ -f ../shared/pve-api/pve9-api-schema.json ]; then  # every request checked against Proxmox's schema
  schema="--api-schema ../shared/pve-api/pve9-api-schema.json"
fi
# shellcheck disable=SC2086
"$pvesim" serve --port 0 --nodes 3 --pve 9 --state-dir "$tmp/state" --task-duration 100 --ha-tick 200 $schema \
  >"$tmp/pvesim.out" 2>"$tmp/pvesim.err" &
sim_pid=$!
tries=0
until grep -q '^PVESIM_READY=1' "$tmp/pvesim.out" 2>/dev/null; do
  kill -0 "$sim_pid" 2>/dev/null || { cat "$tmp/pvesim.err" >&2; sim_pid=""; fail "pvesim did not start"; }
  tries=$((tries + 1))
  [ "$tries" -lt 300 ] || fail "pvesim did not get ready in 30 s"
  sleep 0.1
done
# pvesim prints the HAINFRA_* settings hainfra's transports read (endpoint, token, secret, CA, fingerprint).
eval "$(sed -n 's/^\(HAINFRA_[A-Z_]*=[^ ]*\)$/export \1/p' "$tmp/pvesim.out")"
# The simulator has no SSH: hainfra runs API-only (HAINFRA_SSH=off), so apply goes without the cluster lock,
# which lives in /etc/pve and is taken over SSH (--no-lock; the quorum and health gates still run).
export HAINFRA_SSH=off
echo "pvesim at $HAINFRA_API_ENDPOINT (token $HAINFRA_API_TOKEN), hainfra points at it through HAINFRA_API_*"

step "hainfra plan -f $spec   (a bare cluster: everything to create)"
expect 0 "$hainfra" plan -f "$spec"

step "hainfra apply -f $spec --auto-approve --no-lock"
expect 0 "$hainfra" apply -f "$spec" --auto-approve --no-lock

step "hainfra plan -f $spec   (again: nothing left to do)"
expect 0 "$hainfra" plan -f "$spec" --detailed-exitcode

# The story goes on with a guest changed behind hainfra's back; that needs the vm kind in this build.
if "$hainfra" export --kind vm >/dev/null 2>"$tmp/kinds.err" || ! grep -q 'no such kind' "$tmp/kinds.err"; then
  step "a change behind hainfra's back: PUT /nodes/pve-01/qemu/100/config cores=3 (curl with the API token)"
  curl -fsS --cacert "$HAINFRA_CA_FILE" -X PUT --data cores=3 \
    -H "Authorization: PVEAPIToken=$HAINFRA_API_TOKEN=$HAINFRA_API_SECRET" \
    "$HAINFRA_API_ENDPOINT/api2/json/nodes/pve-01/qemu/100/config" >/dev/null || fail "the API refused the change"
  echo "vm/100 now has 3 cores; the spec says 2"

  step "hainfra drift -f $spec   (exit 2: drift found)"
  expect 2 "$hainfra" drift -f "$spec"
  echo "(exit code 2)"

  step "hainfra apply -f $spec --auto-approve --no-lock   (puts it back)"
  expect 0 "$hainfra" apply -f "$spec" --auto-approve --no-lock

  step "hainfra drift -f $spec   (exit 0: the cluster matches again)"
  expect 0 "$hainfra" drift -f "$spec"
else
  step "(this build has no vm kind yet: the out-of-band change and drift steps are skipped)"
  cat "$tmp/kinds.err"
fi

step "hainfra export   (the live cluster as a spec; the first lines)"
expect 0 "$hainfra" export -f "$spec" -o "$tmp/export.yaml"
head -n 30 "$tmp/export.yaml"
echo "... ($(wc -l <"$tmp/export.yaml") lines)"

step "demo finished"
