#!/usr/bin/env python3
"""Seed corpora of the fuzz targets, written into the build directory (never committed): the examples' specs,
the real captures of ../shared/pve-fixtures/ each target reads, and the committed fuzz/regressions/.
Usage: seed_corpus.py --source DIR --shared DIR --out DIR TARGET..."""
import argparse
import hashlib
import json
import os
import pathlib


def qemu_conf(config):
    """A qemu config as GET .../config answers it, written as the .conf file qemu-server keeps."""
    return "".join(f"{k}: {v}\n" for k, v in config.items() if k != "digest").encode()


def seeds(target, source, fixtures):
    examples = sorted(source.glob("examples/**/*.yaml"))
    fx = lambda pattern: sorted(fixtures.glob(pattern)) if fixtures.is_dir() else []
    if target == "spec_yaml":
        yield from (p.read_bytes() for p in examples)
    elif target == "spec_folder":
        for folder in sorted({p.parent for p in examples}):
            yield b"\0".join(p.read_bytes() for p in sorted(folder.glob("*.yaml")))
    elif target in ("property_string", "guest_config"):
        yield from (p.read_bytes() for p in fx("cfg-lxc-*.conf"))
        for p in fx("api-nodes-node-qemu-vmid-config-*.json"):
            yield qemu_conf(json.loads(p.read_text()))
        if target == "property_string":
            yield from (p.read_bytes() for p in fx("cfg-storage-*.cfg"))
    elif target == "corosync_conf":
        yield from (p.read_bytes() for p in fx("cfg-corosync-*.conf"))
    elif target == "network_interfaces":
        yield from (p.read_bytes() for p in fx("cfg-network-interfaces-*") + fx("cfg-sdn-*interfaces*"))
    elif target == "api_json":
        yield from (p.read_bytes() for p in fx("api-*.json"))
    elif target == "calendar_event":
        for p in fx("cfg-jobs-*.cfg"):
            yield b"\n".join(l.split(b"schedule", 1)[1].strip() for l in p.read_bytes().splitlines()
                             if l.strip().startswith(b"schedule"))
    regressions = source / "fuzz" / "regressions" / target
    if regressions.is_dir():
        yield from (p.read_bytes() for p in sorted(regressions.iterdir()) if p.is_file())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, type=pathlib.Path)
    parser.add_argument("--shared", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()
    for target in args.targets:
        out = args.out / target
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        for data in seeds(target, args.source, args.shared / "pve-fixtures"):
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            count += 1
        print(f"{target}: {count} seeds")


if __name__ == "__main__":
    main()
