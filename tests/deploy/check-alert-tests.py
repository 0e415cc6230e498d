#!/usr/bin/env python3
"""Every alert of deploy/prometheus/tinko-alerts.yml has promtool test cases in tinko-alerts.test.yml
for series where it fires and where it stays quiet, so an alert added without its proof fails the
suite; and its expression reads only Tinko's metrics (tinko_..., which integration.DeployMetricsTest
finds in a host's /metrics) and Prometheus's `up`. Usage: check-alert-tests.py RULES TESTS"""
import re
import sys

from promql_names import foreign_names


def rule_expressions(text):
    """Each `expr:` of a rules file: a one-line value, or a block scalar (`expr: |`)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)expr:\s*(.*)$", line)
        if not m:
            continue
        if m.group(2).strip() not in ("|", ">", "|-", ">-"):
            yield m.group(2)
            continue
        body = []
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= len(m.group(1)):
                break
            body.append(following)
        yield "\n".join(body)

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
expressions = list(rule_expressions(rules))
if len(expressions) != len(alerts):
    problems.append("%d expressions for %d alerts" % (len(expressions), len(alerts)))
for expr in expressions:
    if foreign_names(expr):
        problems.append("metrics that are neither Tinko's nor `up`: %s in %s" % (foreign_names(expr), expr.strip()))
for p in problems:
    print("FAIL:", p)
print("%d alerts, each with cases that fire and stay quiet" % len(alerts) if not problems else "")
sys.exit(1 if problems else 0)
