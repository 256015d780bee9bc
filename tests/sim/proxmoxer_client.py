"""An independent, real Proxmox client against pvesim: Debian's python3-proxmoxer.

Run by tests/sim/proxmoxer_test.cc with the simulator's HAINFRA_* environment. Logs in with the root@pam
password and with the API token, lists nodes and VMs, creates a VM, changes its config (async POST and
sync PUT) and waits for its tasks. Prints one "ok: ..." line per step; exits non-zero on the first failure.
"""
import os
import sys
import time
from urllib.parse import urlparse

from proxmoxer import ProxmoxAPI


def wait_task(api, upid, timeout=30):
    node = upid.split(":")[1]
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = api.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status["exitstatus"]
        time.sleep(0.05)
    raise RuntimeError(f"task {upid} still running after {timeout}s")


def main():
    endpoint = urlparse(os.environ["HAINFRA_API_ENDPOINT"])
    host, port = endpoint.hostname, endpoint.port
    password = os.environ["HAINFRA_API_PASSWORD"]
    user, token_name = os.environ["HAINFRA_API_TOKEN"].split("!")
    secret = os.environ["HAINFRA_API_SECRET"]

    # Password login: proxmoxer posts to /access/ticket and then sends the cookie and CSRF token.
    api = ProxmoxAPI(host, port=port, user="root@pam", password=password, verify_ssl=True)
    nodes = sorted(n["node"] for n in api.nodes.get())
    assert nodes == ["pve-01", "pve-02", "pve-03"], nodes
    print("ok: password login lists nodes", nodes)

    # What an inventory walks: every node's VMs and containers.
    for node in nodes:
        assert api.nodes(node).qemu.get() == [], f"expected no VMs yet on {node}"
        assert api.nodes(node).lxc.get() == [], f"expected no containers yet on {node}"
    print("ok: every node lists its VMs and containers")
    vmid = int(api.cluster.nextid.get())
    assert vmid == 100, vmid
    print("ok: nextid", vmid)

    upid = api.nodes("pve-01").qemu.post(vmid=vmid, name="db1", memory=2048, cores=2,
                                         net0="virtio,bridge=vmbr0", scsi0="local-lvm:8")
    assert upid.startswith("UPID:pve-01:") and ":qmcreate:100:root@pam:" in upid, upid
    assert wait_task(api, upid) == "OK"
    print("ok: created VM", vmid, "task", upid)

    vms = api.nodes("pve-01").qemu.get()
    assert [v["vmid"] for v in vms] == [vmid] and vms[0]["name"] == "db1", vms
    resources = api.cluster.resources.get(type="vm")
    assert any(r["id"] == f"qemu/{vmid}" for r in resources), resources
    print("ok: VM listed on the node and in cluster resources")

    config = api.nodes("pve-01").qemu(vmid).config.get()
    assert config["cores"] == 2 and config["memory"] == "2048", config
    assert config["scsi0"].startswith("local-lvm:vm-100-disk-0,size=8G"), config["scsi0"]
    digest = config["digest"]

    upid = api.nodes("pve-01").qemu(vmid).config.post(cores=4, digest=digest)
    assert wait_task(api, upid) == "OK"
    api.nodes("pve-01").qemu(vmid).config.put(description="changed by proxmoxer", delete="scsihw")
    config = api.nodes("pve-01").qemu(vmid).config.get()
    assert config["cores"] == 4 and config["description"] == "changed by proxmoxer", config
    print("ok: config changed (async POST with digest, sync PUT)")

    try:
        api.nodes("pve-01").qemu(vmid).config.put(cores=8, digest=digest)
        raise AssertionError("a stale digest was accepted")
    except Exception as e:  # proxmoxer raises ResourceException
        assert "checksum mismatch" in str(e), e
    print("ok: stale digest refused")

    upid = api.nodes("pve-01").qemu(vmid).status.start.post()
    assert wait_task(api, upid) == "OK"
    assert api.nodes("pve-01").qemu(vmid).status.current.get()["status"] == "running"
    print("ok: started VM")

    # Token login: no ticket, the PVEAPIToken header on every request.
    token_api = ProxmoxAPI(host, port=port, user=user, token_name=token_name, token_value=secret, verify_ssl=True)
    assert sorted(n["node"] for n in token_api.nodes.get()) == nodes
    assert [v["vmid"] for v in token_api.nodes("pve-01").qemu.get()] == [vmid]
    upid = token_api.nodes("pve-01").qemu(vmid).status.stop.post()
    assert wait_task(token_api, upid) == "OK"
    assert token_api.nodes("pve-01").qemu(vmid).status.current.get()["status"] == "stopped"
    print("ok: token login lists nodes and VMs and stops the VM")

    # A container beside the VM: what an inventory of a mixed cluster walks (qemu and lxc of every node).
    ctid = int(api.cluster.nextid.get())
    assert ctid == vmid + 1, ctid
    # The template first, from the appliance index (pve-container refuses a template file that is not there).
    upid = api.nodes("pve-02").aplinfo.post(storage="local", template="debian-12-standard_12.7-1_amd64.tar.zst")
    assert ":download:" in upid and wait_task(api, upid) == "OK", upid
    upid = api.nodes("pve-02").lxc.post(vmid=ctid, hostname="ct1", memory=512, swap=512,
                                        ostemplate="local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                                        rootfs="local-lvm:4", net0="name=eth0,bridge=vmbr0,ip=dhcp")
    assert ":vzcreate:" in upid and wait_task(api, upid) == "OK", upid
    for node in nodes:
        cts = api.nodes(node).lxc.get()
        for ct in cts:
            conf = api.nodes(node).lxc(ct["vmid"]).config.get()
            assert conf["hostname"] == ct["name"], (conf, ct)
            api.nodes(node).lxc(ct["vmid"]).status.current.get()
        assert [c["vmid"] for c in cts] == ([str(ctid)] if node == "pve-02" else []), (node, cts)
    resources = api.cluster.resources.get(type="vm")
    assert sorted((r["vmid"], r["type"]) for r in resources) == [(vmid, "qemu"), (ctid, "lxc")], resources
    print("ok: listed a cluster with a VM and a container")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # report, do not hide
        print("FAILED:", type(e).__name__, e)
        sys.exit(1)
