# pvelab: the lab's three networks — management (SSH, the API), corosync link0 and link1 — as bridges in
# the root namespace with one veth per node and network; and the link faults that cut or restore them.

BridgeName() {  # BridgeName mgmt|link0|link1
  case $1 in mgmt) echo "${PVELAB_IFPREFIX}${LAB_ID}m" ;; link0) echo "${PVELAB_IFPREFIX}${LAB_ID}0" ;;
    link1) echo "${PVELAB_IFPREFIX}${LAB_ID}1" ;; esac
}
NodeIfName() {  # the interface's name inside the node
  case $1 in mgmt) echo eth0 ;; link0) echo eth1 ;; link1) echo eth2 ;; esac
}

# The bridges. Only the management bridge has an address in the root namespace (.254), so the host (tests,
# pvesim) reaches SSH; the corosync networks are reachable from the nodes only.
CreateBridges() {
  local net br
  for net in mgmt link0 link1; do
    br=$(BridgeName "$net")
    ip link add "$br" type bridge
    # No STP/forward delay: ports forward at once, so corosync sees its peers without a 15 s wait.
    ip link set "$br" type bridge forward_delay 0 stp_state 0
    ip link set "$br" up
  done
  ip addr add "$LAB_NET_MGMT.254/24" dev "$(BridgeName mgmt)"
}

# Wires node INDEX into the three bridges: veth pairs whose node end moves into the node's network
# namespace (named by its init PID), with the node's addresses.
WireNode() {
  local i=$1 pid net veth ifname
  pid=$(NodeInitPid "$i")
  for net in mgmt link0 link1; do
    veth=$(NodeVeth "$i" "$net")
    ifname=$(NodeIfName "$net")
    ip link add "$veth" type veth peer name "$ifname" netns "$pid"
    ip link set "$veth" master "$(BridgeName "$net")" up
  done
  nsenter -t "$pid" -n sh -e -c "
    ip link set lo up
    ip addr add $(NodeAddr "$i" mgmt)/24 dev eth0
    ip addr add $(NodeAddr "$i" link0)/24 dev eth1
    ip addr add $(NodeAddr "$i" link1)/24 dev eth2
    ip link set eth0 up; ip link set eth1 up; ip link set eth2 up"
}

DeleteBridges() {
  local net
  for net in mgmt link0 link1; do
    ip link del "$(BridgeName "$net")" 2>/dev/null || true
  done
}

# Deletes every interface of lab ID still in the root namespace (veths whose node died go by themselves).
DeleteLabLinks() {
  local id=$1 name
  for name in $(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
    grep "^${PVELAB_IFPREFIX}${id}"); do
    ip link del "$name" 2>/dev/null || true
  done
}

# Sets one network of one node down or up, on the root-namespace side (the node cannot undo it).
SetNodeLink() {  # SetNodeLink INDEX mgmt|link0|link1 up|down
  ip link set "$(NodeVeth "$1" "$2")" "$3"
}
