#!/usr/bin/env python3
"""Sums up the GoogleTest XML reports of one `./dev test` run (one file per suite, build/<dir>/test-results).

Prints how many tests ran, passed, failed and skipped, and why tests skipped (each distinct reason once,
with its count), ending with the plain line `N passed, N failed, N skipped`. CTest alone cannot say it:
it counts suites, and a suite whose tests all skipped still looks like a pass to anyone reading its total.

Usage: summarize_results.py RESULTS_DIR [EXPECTED_SUITES]
Exit status: 0 when no test failed, 1 when some failed or a report is unreadable.
"""
import collections
import glob
import os
import sys
import xml.etree.ElementTree as ET


def reason_of(message):
    """The first line of a skip message that says why (GoogleTest puts file:line first)."""
    lines = [l.strip() for l in message.splitlines() if l.strip()]
    for line in lines:
        if line.endswith("Skipped") or line == "Skipped":
            continue
        if ":" in line and line.split(":", 1)[0].endswith((".cc", ".h")):
            continue
        return line[:160]
    return "no reason given"


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir = sys.argv[1]
    reports = sorted(glob.glob(os.path.join(results_dir, "*.xml")))
    passed = failed = skipped = 0
    failures, reasons = [], collections.Counter()
    unreadable = []
    for report in reports:
        try:
            root = ET.parse(report).getroot()
        except ET.ParseError as e:
            unreadable.append(f"{os.path.basename(report)}: {e}")
            continue
        for case in root.iter("testcase"):
            if case.get("result") == "suppressed" or case.get("status") == "notrun":
                continue
            name = f"{case.get('classname')}.{case.get('name')}"
            if case.find("failure") is not None:
                failed += 1
                failures.append(name)
            elif case.find("skipped") is not None or case.get("result") == "skipped":
                skipped += 1
                node = case.find("skipped")
                reasons[reason_of((node.text or node.get("message", "")) if node is not None else "")] += 1
            else:
                passed += 1
    total = passed + failed + skipped
    print(f"hainfra_tests: {total} tests in {len(reports)} suites: {passed} passed, {failed} failed, "
          f"{skipped} skipped")
    for reason, count in reasons.most_common():
        print(f"  {count} skipped: {reason}")
    for name in failures:
        print(f"  failed: {name}")
    for line in unreadable:
        print(f"  unreadable report: {line}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
