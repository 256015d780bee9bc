#!/usr/bin/python3
"""The cluster benchmark of issue 7 (./dev bench): the real `hainfra` binary against pvesim.

pvesim --generate nodes=16,vms=2000,ha=200,vlans=40,pools=8 --latency 20 builds the world; `hainfra export`
writes the spec that declares it (round trip); `hainfra plan` on that spec is measured: requests (pvesim's
request log), requests per VM, wall time against the ideal (requests x latency / max_connections), peak RSS
(/usr/bin/time -v). Then 200 VM creates spread over the nodes in one apply: lock-timeout failures and wall
time. Prints figures, ratios to the targets and PASS/FAIL per target. Usage: bench_cluster.py BUILD_DIR
"""
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

LATENCY_MS = 20
MAX_CONNECTIONS = 8  # the API client's default (cluster.api.max_connections)
SERIAL_REQUESTS = 2  # GET /version, then GET /cluster/resources before the config reads (see below)
WORLD = "nodes=16,vms=2000,ha=200,vlans=40,pools=8"
CREATES = 200
TARGETS = {"requests_per_vm": 1.1, "wall_vs_ideal": 1.5, "peak_rss_mb": 200.0, "lock_timeouts": 0}


def start_pvesim(pvesim, tmp):
    out = open(os.path.join(tmp, "pvesim.out"), "w")
    err = open(os.path.join(tmp, "pvesim.err"), "w")
    proc = subprocess.Popen([pvesim, "serve", "--port", "0", "--generate", WORLD, "--latency", str(LATENCY_MS),
                             "--state-dir", os.path.join(tmp, "state"), "--task-duration", "200",
                             "--request-log", os.path.join(tmp, "requests.log")],
                            stdout=out, stderr=err)
    deadline = time.time() + 120
    env = {}
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("pvesim exited: " + open(os.path.join(tmp, "pvesim.err")).read())
        lines = open(os.path.join(tmp, "pvesim.out")).read().splitlines()
        if "PVESIM_READY=1" in lines:
            for line in lines:
                key, _, value = line.partition("=")
                if key.startswith("HAINFRA_") or key.startswith("PVESIM_"):
                    env[key] = value
            return proc, env
        time.sleep(0.1)
    proc.kill()
    sys.exit("pvesim did not get ready in 120 s")


def api_get(env, path):
    ctx = ssl.create_default_context(cafile=env["HAINFRA_CA_FILE"])
    ctx.check_hostname = False
    req = urllib.request.Request(env["HAINFRA_API_ENDPOINT"] + "/api2/json" + path, headers={
        "Authorization": "PVEAPIToken=%s=%s" % (env["HAINFRA_API_TOKEN"], env["HAINFRA_API_SECRET"])})
    with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
        return json.load(r)["data"]


def request_count(tmp):
    path = os.path.join(tmp, "requests.log")
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        return sum(1 for _ in f)


def read_log(tmp, skip):
    """The request log's entries after the first `skip` lines, as (start, end, path) in epoch seconds (pvesim
    writes an entry when the answer is sent, with its duration: start = time - duration)."""
    out = []
    with open(os.path.join(tmp, "requests.log")) as f:
        for n, line in enumerate(f):
            if n < skip:
                continue
            e = json.loads(line)
            out.append((e["time"] - e["duration_ms"] / 1000.0, e["time"], e["path"]))
    return sorted(out)


def breakdown(entries, started, wall):
    """Where a run's wall time went: before its first request (process start, spec loading), the span from
    the first request's start to the last answer, after it (diff, rendering, exit), and the mean number of
    requests in flight during the span."""
    if not entries:
        return None
    first = entries[0][0]
    last = max(e[1] for e in entries)
    busy = sum(e[1] - e[0] for e in entries)
    span = last - first
    return {"before": first - started, "span": span, "after": started + wall - last,
            "in_flight": busy / span if span > 0 else 0.0}


def timed(cmd, env, tmp, name):
    """Runs cmd under /usr/bin/time -v; returns (exit code, wall seconds, peak RSS MB, stdout+stderr)."""
    stats = os.path.join(tmp, name + ".time")
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", stats] + cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    rss_kb = 0
    for line in open(stats):
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
        if m:
            rss_kb = int(m.group(1))
    return proc.returncode, wall, rss_kb / 1024.0, proc.stdout + proc.stderr


def verdict(ok):
    return "PASS" if ok else "FAIL"


def yaml_list(name, items):
    return name + ":\n" + "".join("  - " + json.dumps(i, separators=(", ", ": ")) + "\n" for i in items)


def main():
    build = os.path.abspath(sys.argv[1])
    hainfra = os.path.join(build, "cli", "hainfra")
    pvesim = os.path.join(build, "sim", "pvesim", "pvesim")
    for binary in (hainfra, pvesim):
        if not os.access(binary, os.X_OK):
            sys.exit(binary + " is not built")
    tmp = tempfile.mkdtemp(prefix="hainfra-bench-")
    proc, sim_env = start_pvesim(pvesim, tmp)
    env = dict(os.environ)
    env.update({k: v for k, v in sim_env.items() if k.startswith("HAINFRA_")})
    # pvesim has no SSH (its node addresses are fictional): API-only, so apply runs without the cluster lock.
    env["HAINFRA_SSH"] = "off"
    failed = False
    try:
        print("world: %s, %d ms latency per request, hainfra max_connections %d" % (WORLD, LATENCY_MS,
                                                                                   MAX_CONNECTIONS))
        spec_dir = os.path.join(tmp, "spec")
        os.mkdir(spec_dir)
        spec = os.path.join(spec_dir, "export.yaml")
        # The export carries over what no kind of this build reads (nodes, storage) from an input spec.
        nodes = [n for n in api_get(sim_env, "/cluster/status") if n.get("type") == "node"]
        input_spec = os.path.join(tmp, "input.yaml")
        with open(input_spec, "w") as f:
            f.write(yaml_list("nodes", [{"name": n["name"], "address": n["ip"]} for n in nodes]))
            f.write(yaml_list("storage", [{"id": "local-lvm", "type": "lvmthin", "vgname": "pve", "thinpool": "data",
                                           "content": ["images", "rootdir"]}]))
        start = time.monotonic()
        code, _, _, output = timed([hainfra, "export", "-f", input_spec, "-o", spec], env, tmp, "export")
        print("export: exit %d in %.1f s (%d lines)" % (code, time.monotonic() - start,
                                                        sum(1 for _ in open(spec)) if os.path.exists(spec) else 0))
        if code != 0:
            print(output.strip())
            print("FAIL: the export does not load back; the plan below runs on what was written")
            failed = True
        exported = open(spec).read() if os.path.exists(spec) else ""
        vms_declared = len(re.findall(r"^  - vmid: ", exported, re.M))

        before = request_count(tmp)
        plan_started = time.time()
        code, wall, rss, output = timed([hainfra, "plan", "-f", spec_dir, "--detailed-exitcode"], env, tmp, "plan")
        time.sleep(0.2)  # the log line of the last request is written after its answer
        requests = request_count(tmp) - before
        print("plan: exit %d (0: no changes), %d VMs declared" % (code, vms_declared))
        if code not in (0, 2):
            print(output.strip()[-2000:])
            failed = True
        elif code == 2:
            print("FAIL: the plan of an exported spec is not empty:\n" + output.strip()[-2000:])
            failed = True
        ideal = requests * LATENCY_MS / 1000.0 / MAX_CONNECTIONS
        per_vm = requests / 2000.0
        print("  requests          %d" % requests)
        print("  requests per VM   %.3f   (target <= %.1f)   %s" % (per_vm, TARGETS["requests_per_vm"],
                                                                   verdict(per_vm <= TARGETS["requests_per_vm"])))
        ratio = wall / ideal if ideal > 0 else float("inf")
        print("  wall time         %.2f s, ideal %.2f s, ratio %.2f   (target <= %.1f)   %s" % (
            wall, ideal, ratio, TARGETS["wall_vs_ideal"], verdict(ratio <= TARGETS["wall_vs_ideal"])))
        # The ideal above treats every request as parallel. Two cannot be: GET /version comes first (the
        # client needs the PVE version to build its kinds), and the guests' config reads need the answer of
        # GET /cluster/resources (which node holds each guest). Counting those two as serial:
        serial_ideal = (SERIAL_REQUESTS + (requests - SERIAL_REQUESTS) / MAX_CONNECTIONS) * LATENCY_MS / 1000.0
        print("  ideal with the %d serial requests %.2f s, ratio %.2f" % (
            SERIAL_REQUESTS, serial_ideal, wall / serial_ideal if serial_ideal > 0 else float("inf")))
        parts = breakdown(read_log(tmp, before), plan_started, wall)
        if parts:
            print("  where the wall time went: %.2f s before the first request (start, spec loading), %.2f s from "
                  "the first request to the last answer (%.2f requests in flight on average), %.2f s after it "
                  "(diff, output, exit)" % (parts["before"], parts["span"], parts["in_flight"], parts["after"]))
        print("  peak RSS          %.1f MB   (target <= %.0f)   %s" % (rss, TARGETS["peak_rss_mb"],
                                                                     verdict(rss <= TARGETS["peak_rss_mb"])))
        if vms_declared == 0:
            print("  note: the spec declares no VM (no vm kind in this build): the figures above measure an empty plan")

        # 200 creates spread over the nodes, in one apply. The new guests need their nodes and storage
        # declared: from the export when a kind wrote them, else from the API.
        extra = []
        if not re.search(r"^nodes:", exported, re.M):
            extra.append(yaml_list("nodes", [{"name": n["name"], "address": n["ip"]} for n in nodes]))
        if not re.search(r"^storage:", exported, re.M):
            extra.append(yaml_list("storage", [{"id": "local-lvm", "type": "lvmthin", "vgname": "pve",
                                                "thinpool": "data", "content": ["images", "rootdir"]}]))
        vms = [{"vmid": 5000 + i, "name": "new-%d" % i, "node": "pve-%02d" % (i % 16 + 1), "cores": 1,
                "memory": 512, "disks": [{"slot": "scsi0", "storage": "local-lvm", "size": "8G"}],
                "nets": [{"slot": "net0", "bridge": "vmbr0"}]} for i in range(CREATES)]
        extra.append(yaml_list("vms", vms))  # the loader merges a section written in several files
        with open(os.path.join(spec_dir, "creates.yaml"), "w") as f:
            f.write("\n".join(extra))
        before = request_count(tmp)
        code, wall, rss, output = timed([hainfra, "apply", "-f", spec_dir, "--auto-approve", "--no-lock"], env, tmp, "apply")
        lock_timeouts = len(re.findall(r"can't lock file|got timeout", output))
        created = len([r for r in api_get(sim_env, "/cluster/resources?type=vm") if r.get("vmid", 0) >= 5000])
        print("apply of %d creates: exit %d, %d created, %.1f s wall, %d requests, peak RSS %.1f MB" % (
            CREATES, code, created, wall, request_count(tmp) - before, rss))
        print("  lock-timeout failures %d   (target %d)   %s" % (lock_timeouts, TARGETS["lock_timeouts"],
                                                               verdict(lock_timeouts == TARGETS["lock_timeouts"])))
        if created == 0:
            print("  note: nothing was created (no vm kind in this build)")
        elif created != CREATES or code != 0:
            print(output.strip()[-2000:])
            failed = True
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if os.environ.get("HAINFRA_BENCH_KEEP"):  # keeps pvesim's request log and the specs for analysis
            print("kept " + tmp)
        else:
            subprocess.run(["rm", "-rf", tmp])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
