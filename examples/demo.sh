#!/bin/sh
# The demo (./dev demo BUILD_DIR): validates the examples and shows how a spec with mistakes is reported, then
# runs the whole story — plan -> apply -> plan (no changes) -> changes made behind hainfra's back -> drift
# (exit 2) -> apply corrects them -> drift (exit 0) -> export:
#   as root: on examples/lab-3node/, unchanged, against the embedded simulator joined to a pvelab lab — three
#     nodes in network namespaces at the example's own addresses with real sshd, corosync and dpkg/apt — so
#     the host-level kinds (baseline packages, sshd, corosync links, node networks) run for real too;
#   as any other user: on examples/demo/ (only what hainfra manages over the API) against the simulator alone.
# Runs without ../shared; stops what it started on exit; exits non-zero when a step does not do what it should.
# HAINFRA_DEMO=sim forces the second story.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
hainfra="$build/cli/hainfra"
pvesim="$build/sim/pvesim/pvesim"
cd "$here/.."  # print paths relative to the checkout
pvelab="$build/sim/pvelab/pvelab"
mode=sim
if [ "$(id -u)" -eq 0 ] && [ "${HAINFRA_DEMO:-}" != sim ]; then mode=lab; fi

tmp=$(mktemp -d)
sim_pid=""
lab_id=""
cleanup() {
  if [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; then wait "$sim_pid" 2>/dev/null || true; fi
  if [ -n "$lab_id" ]; then "$pvelab" down "$lab_id" >/dev/null 2>&1 || true; fi
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
for example in examples/minimal.yaml examples/lab-3node examples/astro-5node examples/demo; do
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

api() {  # api METHOD PATH DATA: a change through the API, as an admin's curl with the API token would make it
  curl -fsS --cacert "$HAINFRA_CA_FILE" -X "$1" --data "$3" \
    -H "Authorization: PVEAPIToken=$HAINFRA_API_TOKEN=$HAINFRA_API_SECRET" \
    "$HAINFRA_API_ENDPOINT/api2/json$2" >/dev/null || fail "the API refused $1 $2"
}

if [ "$mode" = lab ]; then
  spec=examples/lab-3node
  apply_flags="--auto-approve"
  step "start the lab: a bare 3-node Proxmox VE 9 cluster \`lab\` at examples/lab-3node's own addresses"
  echo "three nodes in network namespaces (real sshd, corosync with two knet links, dpkg/apt with a local"
  echo "repository), as the installer and \`pvecm\` leave them, joined to the embedded simulator (the API)"
  if [ ! -x "$pvesim" ] || [ ! -x "$pvelab" ]; then fail "pvesim or pvelab is not built in $build"; fi
  set -- --names pve-01,pve-02,pve-03 --cluster lab --networks 10.0.0,10.10.10,10.20.20 \
    --installer-nics eno1,eno2,eno3,eno4 --owner-pid $$ --sim "$pvesim" --sim-arg --ceph \
    --sim-arg --task-duration --sim-arg 100 --sim-arg --ha-tick --sim-arg 200
  if [ -f ../shared/pve-api/pve9-api-schema.json ]; then
    set -- "$@" --sim-arg --api-schema --sim-arg ../shared/pve-api/pve9-api-schema.json
  fi
  "$pvelab" up "$@" >"$tmp/lab.env" 2>"$tmp/lab.err" || { cat "$tmp/lab.err" >&2; fail "pvelab up failed"; }
  lab_id=$(sed -n 's/^PVELAB_ID=//p' "$tmp/lab.env")
  tail -n 1 "$tmp/lab.err"
  # The lab prints the settings hainfra's transports read: the simulator's API endpoint, token and CA
  # (it listens on loopback, not at the spec's https://10.0.0.11:8006) and the lab's SSH key and
  # known_hosts. The nodes answer SSH at the spec's own addresses, so no address is overridden.
  eval "$(sed -n 's/^\(HAINFRA_[A-Z_]*=[^ ]*\)$/export \1/p' "$tmp/lab.env")"
  unset HAINFRA_SSH_ADDRESSES
  export PVE_TOKEN_SECRET="$HAINFRA_API_SECRET" PBS_PASSWORD=demo-only-pbs-password  # the spec's ${env:...}
  echo "API at $HAINFRA_API_ENDPOINT (token $HAINFRA_API_TOKEN); SSH as root to 10.0.0.11-13"
else
  spec=examples/demo
  apply_flags="--auto-approve --no-lock"
  step "start the simulator: a bare 3-node Proxmox VE 9 cluster"
  echo "(not root: the story runs on examples/demo/, the API-managed part; as root it runs on"
  echo " examples/lab-3node/ with real nodes in network namespaces)"
  [ -x "$pvesim" ] || fail "$pvesim is not built"
  set -- serve --port 0 --nodes 3 --pve 9 --state-dir "$tmp/state" --task-duration 100 --ha-tick 200
  if [ -f ../shared/pve-api/pve9-api-schema.json ]; then
    set -- "$@" --api-schema ../shared/pve-api/pve9-api-schema.json
  fi
  "$pvesim" "$@" >"$tmp/pvesim.out" 2>"$tmp/pvesim.err" &
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
  # The simulator alone has no SSH: hainfra runs API-only (HAINFRA_SSH=off), so apply goes without the
  # cluster lock, which lives in /etc/pve and is taken over SSH (--no-lock; quorum and health gates still run).
  export HAINFRA_SSH=off
  echo "pvesim at $HAINFRA_API_ENDPOINT (token $HAINFRA_API_TOKEN), hainfra points at it through HAINFRA_API_*"
fi

step "hainfra plan -f $spec   (a bare cluster: everything to do)"
expect 0 "$hainfra" plan -f "$spec"

step "hainfra apply -f $spec $apply_flags"
# shellcheck disable=SC2086
expect 0 "$hainfra" apply -f "$spec" $apply_flags

step "hainfra plan -f $spec --detailed-exitcode   (again: nothing left to do, exit 0)"
expect 0 "$hainfra" plan -f "$spec" --detailed-exitcode

if [ "$mode" = lab ]; then
  step "changes behind hainfra's back"
  echo "through the API: PUT /nodes/pve-01/qemu/200/config cores=2 (the spec says 4)"
  api PUT /nodes/pve-01/qemu/200/config cores=2
  echo "by hand on pve-02, over ssh: MaxAuthTries 3 -> 10 in hainfra's sshd drop-in"
  ssh -i "$HAINFRA_SSH_IDENTITY" -o UserKnownHostsFile="$HAINFRA_SSH_KNOWN_HOSTS" -o StrictHostKeyChecking=yes \
    -o BatchMode=yes root@10.0.0.12 \
    "sed -i 's/^MaxAuthTries 3\$/MaxAuthTries 10/' /etc/ssh/sshd_config.d/*hainfra*.conf" || fail "ssh to pve-02 failed"
else
  step "a change behind hainfra's back: PUT /nodes/pve-01/qemu/100/config cores=3 (curl with the API token)"
  api PUT /nodes/pve-01/qemu/100/config cores=3
  echo "vm/100 now has 3 cores; the spec says 2"
fi

step "hainfra drift -f $spec   (exit 2: drift found)"
expect 2 "$hainfra" drift -f "$spec"
echo "(exit code 2)"

step "hainfra apply -f $spec $apply_flags   (puts it back)"
# shellcheck disable=SC2086
expect 0 "$hainfra" apply -f "$spec" $apply_flags

step "hainfra drift -f $spec   (exit 0: the cluster matches again)"
expect 0 "$hainfra" drift -f "$spec"

if [ "$mode" = lab ]; then
  step "hainfra report packages -f $spec   (which nodes differ on which package)"
  expect 0 "$hainfra" report packages -f "$spec"
fi

step "hainfra export   (the live cluster as a spec; the first lines)"
expect 0 "$hainfra" export -f "$spec" -o "$tmp/export.yaml"
head -n 30 "$tmp/export.yaml"
echo "... ($(wc -l <"$tmp/export.yaml") lines)"

step "demo finished"
