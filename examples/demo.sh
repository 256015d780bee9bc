#!/bin/sh
# The demo (./dev demo). Until the simulator and the resource kinds exist, it validates every example,
# prints what each one declares, and shows how a spec with mistakes is reported.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
hainfra="$build/cli/hainfra"
cd "$here/.."  # print paths relative to the checkout

"$hainfra" --version
status=0
for example in examples/minimal.yaml examples/lab-3node examples/astro-5node; do
  echo
  echo "== hainfra validate $example"
  "$hainfra" validate "$example" || status=1
done

echo
echo "== hainfra validate (a spec with mistakes, to show the messages)"
broken=$(mktemp -d)
trap 'rm -rf "$broken"' EXIT
cat >"$broken/broken.yaml" <<'YAML'
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
(cd "$broken" && "$hainfra" validate broken.yaml) || true
exit "$status"
