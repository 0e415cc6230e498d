#!/usr/bin/env python3
"""Writes stripe-contract.json, what FakeStripe checks every request against.

Source: stripe/openapi, openapi/spec3.yaml at commit 63a67463 (2023-09-12), API version 2023-08-16.
For each operation Tinko's stripe plugin calls, it keeps the path, the method, the path parameters
and the form body's schema, reduced to what a request can be checked against: type, enum,
maxLength, format, required, properties, items, anyOf, additionalProperties. Descriptions, titles
and Stripe's x-* annotations are dropped.

usage: derive-stripe-contract.py <spec3.yaml> > stripe-contract.json   (needs PyYAML)
The output is checked in; the build never runs this script.
"""
import json
import sys

import yaml

OPERATIONS = [
    ("POST", "/v1/checkout/sessions"),
    ("POST", "/v1/payment_intents/{intent}/confirm"),
    ("GET", "/v1/payment_intents/{intent}"),   # before a charge retry (already paid?), reconciling, a new card's customer
    ("GET", "/v1/setup_intents/{intent}"),     # a new card saved through a setup-mode Checkout Session
]
KEPT = ("type", "enum", "maxLength", "format", "required", "properties", "items", "anyOf", "additionalProperties")


def reduced(schema):
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema or "oneOf" in schema or "allOf" in schema:
        sys.exit("the request schemas are expected to be inline; teach this script about $ref, oneOf and allOf")
    out = {}
    for key in KEPT:
        if key not in schema:
            continue
        value = schema[key]
        if key == "properties":
            value = {name: reduced(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties"):
            value = reduced(value)
        elif key == "anyOf":
            value = [reduced(sub) for sub in value]
        out[key] = value
    return out


spec = yaml.load(open(sys.argv[1]), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
operations = []
for method, path in OPERATIONS:
    operation = spec["paths"][path][method.lower()]
    body = operation["requestBody"]
    parameters = {p["name"]: reduced(p["schema"]) for p in operation.get("parameters", []) if p["in"] == "path"}
    operations.append({
        "method": method,
        "path": path,
        "operation_id": operation["operationId"],
        "path_parameters": parameters,
        "body_required": bool(body.get("required", False)),
        "body": reduced(body["content"]["application/x-www-form-urlencoded"]["schema"]),
    })

contract = {
    "_source": "Derived from stripe/openapi openapi/spec3.yaml at commit 63a67463 (2023-09-12) by "
               "derive-stripe-contract.py beside this file. Do not edit by hand.",
    "api_version": spec["info"]["version"],
    "operations": operations,
}
json.dump(contract, sys.stdout, indent=1)
sys.stdout.write("\n")
