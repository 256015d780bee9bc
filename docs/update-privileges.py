#!/usr/bin/python3
"""Print the privilege table of docs/privileges.md from the official PVE API schema.

Usage: docs/update-privileges.py ../shared/pve-api/pve9-api-schema.json ../shared/pve-api/pve8-api-schema.json
The endpoints are the ones hainfra's kinds call (grep providers/ for ApiPath when a kind changes).
"""
import json
import sys

ENDPOINTS = [  # (kind, method, path)
    ("all", "GET", "/version"),
    ("all", "GET", "/cluster/status"),
    ("all", "GET", "/cluster/resources"),
    ("all", "GET", "/nodes"),
    ("all", "GET", "/nodes/{node}/status"),
    ("all", "GET", "/cluster/ha/status/current"),
    ("vm", "GET", "/nodes/{node}/qemu/{vmid}/config"),
    ("vm", "GET", "/nodes/{node}/qemu/{vmid}/pending"),
    ("vm", "POST", "/nodes/{node}/qemu"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/config"),
    ("vm", "PUT", "/nodes/{node}/qemu/{vmid}/resize"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/status/start"),
    ("vm", "GET", "/nodes/{node}/qemu/{vmid}/status/current"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/status/stop"),
    ("vm", "GET", "/nodes/{node}/qemu/{vmid}/migrate"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/status/shutdown"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/status/reboot"),
    ("vm", "POST", "/nodes/{node}/qemu/{vmid}/migrate"),
    ("vm", "DELETE", "/nodes/{node}/qemu/{vmid}"),
    ("ct", "GET", "/nodes/{node}/lxc/{vmid}/config"),
    ("ct", "POST", "/nodes/{node}/lxc"),
    ("ct", "PUT", "/nodes/{node}/lxc/{vmid}/config"),
    ("ct", "PUT", "/nodes/{node}/lxc/{vmid}/resize"),
    ("ct", "GET", "/nodes/{node}/lxc/{vmid}/status/current"),
    ("ct", "POST", "/nodes/{node}/lxc/{vmid}/status/start"),
    ("ct", "POST", "/nodes/{node}/lxc/{vmid}/status/shutdown"),
    ("ct", "POST", "/nodes/{node}/lxc/{vmid}/status/stop"),
    ("ct", "POST", "/nodes/{node}/lxc/{vmid}/status/reboot"),
    ("ct", "POST", "/nodes/{node}/lxc/{vmid}/migrate"),
    ("ct", "DELETE", "/nodes/{node}/lxc/{vmid}"),
    ("vm", "GET", "/nodes/{node}/tasks/{upid}/status"),
    ("ha", "GET", "/cluster/ha/groups"),
    ("ha", "POST", "/cluster/ha/groups"),
    ("ha", "PUT", "/cluster/ha/groups/{group}"),
    ("ha", "DELETE", "/cluster/ha/groups/{group}"),
    ("ha", "GET", "/cluster/ha/rules"),
    ("ha", "POST", "/cluster/ha/rules"),
    ("ha", "PUT", "/cluster/ha/rules/{rule}"),
    ("ha", "DELETE", "/cluster/ha/rules/{rule}"),
    ("ha", "GET", "/cluster/ha/resources"),
    ("ha", "POST", "/cluster/ha/resources"),
    ("ha", "PUT", "/cluster/ha/resources/{sid}"),
    ("ha", "DELETE", "/cluster/ha/resources/{sid}"),
    ("ha", "POST", "/cluster/ha/resources/{sid}/migrate"),
    ("ha", "GET", "/cluster/ha/status/current"),
    ("storage", "GET", "/storage"),
    ("storage", "POST", "/storage"),
    ("storage", "PUT", "/storage/{storage}"),
    ("storage", "DELETE", "/storage/{storage}"),
    ("ceph_pool", "GET", "/nodes/{node}/ceph/pool"),
    ("ceph_pool", "POST", "/nodes/{node}/ceph/pool"),
    ("ceph_pool", "PUT", "/nodes/{node}/ceph/pool/{name}"),
    ("ceph_pool", "DELETE", "/nodes/{node}/ceph/pool/{name}"),
    ("ceph_pool", "GET", "/cluster/ceph/status"),
    ("backup_job", "GET", "/cluster/backup"),
    ("backup_job", "POST", "/cluster/backup"),
    ("backup_job", "PUT", "/cluster/backup/{id}"),
    ("backup_job", "DELETE", "/cluster/backup/{id}"),
    ("vlan", "GET", "/cluster/sdn/zones"),
    ("vlan", "POST", "/cluster/sdn/zones"),
    ("vlan", "GET", "/cluster/sdn/vnets"),
    ("vlan", "POST", "/cluster/sdn/vnets"),
    ("vlan", "PUT", "/cluster/sdn/vnets/{vnet}"),
    ("vlan", "DELETE", "/cluster/sdn/vnets/{vnet}"),
    ("vlan", "PUT", "/cluster/sdn/zones/{zone}"),
    ("vlan", "POST", "/cluster/sdn/vnets/{vnet}/subnets"),
    ("vlan", "PUT", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}"),
    ("vlan", "DELETE", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}"),
    ("vlan", "POST", "/cluster/sdn/lock"),
    ("vlan", "DELETE", "/cluster/sdn/lock"),
    ("vlan", "PUT", "/cluster/sdn"),
    ("network", "GET", "/nodes/{node}/network"),
    ("network", "POST", "/nodes/{node}/network"),
    ("network", "PUT", "/nodes/{node}/network/{iface}"),
    ("network", "DELETE", "/nodes/{node}/network/{iface}"),
    ("network", "PUT", "/nodes/{node}/network"),
    ("network", "DELETE", "/nodes/{node}/network"),
    ("apt_repository", "GET", "/nodes/{node}/apt/repositories"),
    ("apt_repository", "POST", "/nodes/{node}/apt/repositories"),
    ("apt_repository", "PUT", "/nodes/{node}/apt/repositories"),
    ("membership", "GET", "/cluster/config/nodes"),
    ("membership", "GET", "/cluster/config/join"),
    ("membership", "POST", "/cluster/config/join"),
    ("membership", "DELETE", "/cluster/config/nodes/{node}"),
    ("corosync", "GET", "/cluster/config/totem"),
]


def index(schema):
    table = {}
    stack = list(schema)
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        for method, info in node.get("info", {}).items():
            table[(method, node["path"])] = info.get("permissions")
    return table


def describe(perm):
    if perm is None:
        return "root@pam only (no token)"
    if perm.get("user") == "all":
        text = "any user"
        if perm.get("description"):
            text += "; " + perm["description"]
        return text
    check = perm.get("check")
    if not check:
        return json.dumps(perm)
    if check[0] == "perm":
        privs = check[2]
        how = " or ".join(privs) if "any" in check[3:] else ", ".join(privs)
        text = f"`{how}` on `{check[1]}`"
        if perm.get("description"):
            text += "; " + perm["description"]
        return text
    return "`" + json.dumps(check) + "`"


def main():
    tables = [index(json.load(open(path))) for path in sys.argv[1:]]
    print("| kind | request | privileges (PVE 9) | PVE 8 differs |")
    print("|---|---|---|---|")
    for kind, method, path in ENDPOINTS:
        key = (method, path)
        nine = tables[0].get(key, "absent") if tables else "?"
        eight = tables[1].get(key, "absent") if len(tables) > 1 else nine
        nine_text = describe(nine) if nine != "absent" else "(not in PVE 9)"
        eight_text = "" if eight == nine else (describe(eight) if eight != "absent" else "(not in PVE 8)")
        print(f"| {kind} | `{method} {path}` | {nine_text} | {eight_text} |")


if __name__ == "__main__":
    main()
