#!/usr/bin/env python3
"""deploy/grafana/tinko-dashboard.json: the shape Grafana imports (schema 39, a prometheus
`datasource` variable every panel and target uses, unique panel ids) and PromQL that parses: each
target's expression, with Grafana's variables replaced by values, goes into a recording-rules file
that `promtool check rules` parses, and reads only Tinko's metrics (tinko_...) or `up`. Usage: check-dashboard.py DASHBOARD PROMTOOL"""
import json
import os
import re
import subprocess
import sys
import tempfile

from promql_names import foreign_names

dashboard_path, promtool = sys.argv[1], sys.argv[2]
problems = []
dashboard = json.load(open(dashboard_path))

if not 36 <= dashboard.get("schemaVersion", 0) <= 41:
    problems.append("schemaVersion %r is not about 39" % dashboard.get("schemaVersion"))
variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
source = variables.get("datasource")
if not source or source.get("type") != "datasource" or source.get("query") != "prometheus":
    problems.append("no `datasource` template variable of type datasource over prometheus")

# Grafana's variables, as a query would see them.
substitutions = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h", "$job": "tinko", "$instance": ".*"}

def expand(expr):
    for name in sorted(substitutions, key=len, reverse=True):
        expr = expr.replace(name, substitutions[name])
    left = re.findall(r"\$\w+", expr)
    if left:
        problems.append("unknown variables %s in: %s" % (left, expr))
    return expr

ids = set()
expressions = []
for panel in dashboard.get("panels", []):
    if panel["id"] in ids:
        problems.append("panel id %d twice" % panel["id"])
    ids.add(panel["id"])
    if panel["type"] == "row":
        continue
    if panel.get("datasource", {}).get("uid") != "${datasource}":
        problems.append("panel %r does not use ${datasource}" % panel["title"])
    if not panel.get("targets"):
        problems.append("panel %r has no query" % panel["title"])
    for target in panel.get("targets", []):
        if target.get("datasource", {}).get("uid") != "${datasource}":
            problems.append("a query of panel %r does not use ${datasource}" % panel["title"])
        expressions.append((panel["title"], expand(target["expr"])))
for name, variable in variables.items():
    if variable.get("type") == "query":
        query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
        inner = re.fullmatch(r"label_values\((.*), *\w+\)", query)
        if inner:
            expressions.append(("variable " + name, expand(inner.group(1))))

for title, expr in expressions:
    if foreign_names(expr):
        problems.append("%s reads metrics that are neither Tinko's nor `up`: %s" % (title, foreign_names(expr)))

rules = {"groups": [{"name": "dashboard", "rules": [
    {"record": "dashboard:expression_%d" % i, "expr": expr} for i, (_, expr) in enumerate(expressions)]}]}
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as out:
    json.dump(rules, out)   # JSON is YAML
try:
    checked = subprocess.run([promtool, "check", "rules", out.name], capture_output=True, text=True)
finally:
    os.unlink(out.name)
if checked.returncode != 0:
    problems.append("promtool check rules on the dashboard's expressions:\n" + checked.stdout + checked.stderr)

for p in problems:
    print("FAIL:", p)
print("%d panels, %d expressions checked" % (len(ids), len(expressions)))
sys.exit(1 if problems else 0)
