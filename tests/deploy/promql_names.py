"""The metric names a PromQL expression reads: what is left once strings, label matchers, ranges,
grouping clauses, functions, keywords and numbers are taken out. Used by the deploy/ checks to hold
the rules and the dashboard to Tinko's own metrics (tinko_...) and Prometheus's `up`."""
import re

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset",
            "bool", "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile",
            "count_values", "group", "inf", "nan"}
ALLOWED_OUTSIDE_TINKO = {"up"}


def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    expr = re.sub(r"\{[^}]*\}", " ", expr)
    expr = re.sub(r"\[[^\]]*\]", " ", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", expr):
        name, call = m.group(1), m.group(2)
        if call or name.lower() in KEYWORDS:
            continue
        names.add(name)
    return names


def foreign_names(expr):
    return sorted(n for n in metric_names(expr) if not n.startswith("tinko_") and n not in ALLOWED_OUTSIDE_TINKO)
