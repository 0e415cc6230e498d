#!/usr/bin/env python3
"""Every alert of deploy/prometheus/tinko-alerts.yml has promtool test cases in tinko-alerts.test.yml
for series where it fires and where it stays quiet, so an alert added without its proof fails the
suite. Usage: check-alert-tests.py RULES TESTS"""
import re
import sys

rules, tests = open(sys.argv[1]).read(), open(sys.argv[2]).read()
alerts = re.findall(r"^\s*- alert: (\w+)\s*$", rules, re.M)
problems = []
if not alerts:
    problems.append("no alerts found in " + sys.argv[1])
for alert in alerts:
    fires = re.search(r"alertname: %s\s*\n\s*exp_alerts:\s*\n\s*- exp_labels:" % alert, tests)
    quiet = re.search(r"alertname: %s\s*\n\s*exp_alerts: \[\]" % alert, tests)
    if not fires:
        problems.append("%s: no test case where it fires" % alert)
    if not quiet:
        problems.append("%s: no test case where it stays quiet" % alert)
for p in problems:
    print("FAIL:", p)
print("%d alerts, each with cases that fire and stay quiet" % len(alerts) if not problems else "")
sys.exit(1 if problems else 0)
