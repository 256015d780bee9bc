#!/usr/bin/python3
"""The enforce benchmark of issue 13 (./dev bench): `hainfra enforce` in steady state on the generated
2,000-VM world (the spec from `hainfra export`, so nothing drifted).

1. One run (`hainfra enforce` without --every): its requests from pvesim's request log, per VM (target
   <= 1.1: a run costs one plan plus its few gate reads).
2. `hainfra enforce --every 1s` for 100 runs: hainfra's RSS (/proc/PID/status VmRSS) sampled after each run
   (counted by the --log lines); growth from run 10 to run 100 (target < 5 MB); then SIGTERM: exit 0.
pvesim answers without added latency here (the figures are requests and memory, not time). API-only
(pvesim has no SSH): --no-lock. Usage: bench_enforce.py BUILD_DIR [RUNS]
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_cluster  # noqa: E402  (start_pvesim, api_get, request_count, yaml_list)

VMS = 2000
TARGETS = {"requests_per_vm": 1.1, "rss_growth_mb": 5.0}


def vm_rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def lines(path):
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        return sum(1 for _ in f)


def main():
    build = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    hainfra = os.path.join(build, "cli", "hainfra")
    pvesim = os.path.join(build, "sim", "pvesim", "pvesim")
    tmp = tempfile.mkdtemp(prefix="hainfra-bench-enforce-")
    bench_cluster.LATENCY_MS = 0
    proc, sim_env = bench_cluster.start_pvesim(pvesim, tmp)
    env = dict(os.environ)
    env.update({k: v for k, v in sim_env.items() if k.startswith("HAINFRA_")})
    env["HAINFRA_SSH"] = "off"
    failed = False
    try:
        nodes = [n for n in bench_cluster.api_get(sim_env, "/cluster/status") if n.get("type") == "node"]
        spec_dir = os.path.join(tmp, "spec")
        os.mkdir(spec_dir)
        input_spec = os.path.join(tmp, "input.yaml")
        with open(input_spec, "w") as f:
            f.write(bench_cluster.yaml_list("nodes", [{"name": n["name"], "address": n["ip"]} for n in nodes]))
            f.write(bench_cluster.yaml_list("storage", [{"id": "local-lvm", "type": "lvmthin", "vgname": "pve",
                                                         "thinpool": "data", "content": ["images", "rootdir"]}]))
        code = subprocess.run([hainfra, "export", "-f", input_spec, "-o", os.path.join(spec_dir, "export.yaml")],
                              env=env, capture_output=True, text=True).returncode
        if code != 0:
            sys.exit("export failed")
        state = os.path.join(tmp, "state")
        common = [hainfra, "enforce", "-f", spec_dir, "--no-lock", "--state-dir", state,
                  "--metrics", os.path.join(tmp, "hainfra.prom"), "--report", os.path.join(tmp, "report.json")]

        before = bench_cluster.request_count(tmp)
        once = subprocess.run(common, env=env, capture_output=True, text=True)
        time.sleep(0.2)
        requests = bench_cluster.request_count(tmp) - before
        per_vm = requests / float(VMS)
        print("enforce once: exit %d, %s" % (once.returncode, once.stdout.strip().splitlines()[-1:]))
        if once.returncode != 0:
            print(once.stderr.strip()[-2000:])
            failed = True
        print("  requests          %d" % requests)
        print("  requests per VM   %.3f   (target <= %.1f)   %s" % (
            per_vm, TARGETS["requests_per_vm"], bench_cluster.verdict(per_vm <= TARGETS["requests_per_vm"])))

        log = os.path.join(tmp, "runs.jsonl")
        loop = subprocess.Popen(common + ["--every", "1s", "--log", log], env=env, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(tmp, "loop.err"), "w"))
        samples = {}
        started = time.monotonic()
        while len(samples) < runs and loop.poll() is None:
            done = lines(log)
            if done > 0 and done not in samples:
                samples[done] = vm_rss_mb(loop.pid)  # sampled while it waits for the next run
            time.sleep(0.05)
        wall = time.monotonic() - started
        loop.send_signal(signal.SIGTERM)
        try:
            code = loop.wait(timeout=120)
        except subprocess.TimeoutExpired:
            loop.kill()
            code = -1
        warm = samples.get(10, 0.0)
        last = samples.get(max(samples) if samples else 0, 0.0)
        growth = last - warm
        print("enforce --every 1s: %d runs in %.0f s, SIGTERM -> exit %d" % (len(samples), wall, code))
        print("  RSS after run 1 %.1f MB, run 10 %.1f MB, run %d %.1f MB (min %.1f, max %.1f)" % (
            samples.get(1, 0.0), warm, max(samples) if samples else 0, last,
            min(samples.values()) if samples else 0.0, max(samples.values()) if samples else 0.0))
        print("  RSS growth run 10 -> %d   %.2f MB   (target < %.0f)   %s" % (
            max(samples) if samples else 0, growth, TARGETS["rss_growth_mb"],
            bench_cluster.verdict(len(samples) >= runs and growth < TARGETS["rss_growth_mb"])))
        if code != 0 or len(samples) < runs:
            print(open(os.path.join(tmp, "loop.err")).read()[-2000:])
            failed = True
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if os.environ.get("HAINFRA_BENCH_KEEP"):
            print("kept " + tmp)
        else:
            subprocess.run(["rm", "-rf", tmp])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
