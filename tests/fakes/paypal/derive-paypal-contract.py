#!/usr/bin/env python3
"""Writes paypal-contract.json, what FakePayPal checks every request against.

Sources (copies in the project's shared specs folder, see its PROVENANCE.txt):
  paypal/paypal-rest-api-specifications at ec4d8f3 (2024-02-03):
    openapi/checkout_orders_v2.json          Orders 2.13: create order, capture order
    openapi/notifications_webhooks_v1.json   Webhooks 1.11: verify-webhook-signature
  PayPal publishes no OpenAPI document for POST /v1/oauth2/token; its operation is written out
  below from PayPal's authentication guide (client credentials grant, HTTP Basic auth).

For each operation Tinko's paypal plugin calls, it keeps the path, the method, the header and
path parameters and the JSON body's schema with every $ref resolved and every allOf merged, reduced
to what a request can be checked against: type, enum, minLength, maxLength, pattern, format,
required, properties, items, minItems, maxItems, anyOf, oneOf. Descriptions, examples, defaults and
readOnly flags are dropped. A schema that refers back to itself is cut at the second visit (it
becomes {"type": <its type>}, which the fake checks no deeper). Each operation also lists the
`issue` codes (with their descriptions) the spec gives for its 400 and 422 answers, so the fake
answers in PayPal's words and refuses to script an issue PayPal does not send.

usage: derive-paypal-contract.py <checkout_orders_v2.json> <notifications_webhooks_v1.json> > paypal-contract.json
Needs python3 only. The output is checked in; the build never runs this script.
"""
import json
import sys

KEPT = ("type", "enum", "minLength", "maxLength", "pattern", "format", "required", "properties", "items",
        "minItems", "maxItems", "anyOf", "oneOf")


class Spec:
    def __init__(self, path):
        self.doc = json.load(open(path))

    def ref(self, pointer):
        if not pointer.startswith("#/"):
            sys.exit("only local $ref are expected, not " + pointer)
        node = self.doc
        for part in pointer[2:].split("/"):
            node = node[part]
        return node

    def reduced(self, schema, visiting=()):
        """The schema with $ref resolved, allOf merged and only KEPT keywords left."""
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            pointer = schema["$ref"]
            target = self.ref(pointer)
            if pointer in visiting:   # recursive: stop here
                return {"type": target.get("type", "object")}
            # Keywords beside a $ref (e.g. "format": "uri") refine the target.
            beside = {k: v for k, v in schema.items() if k != "$ref"}
            merged = self.reduced(target, visiting + (pointer,))
            return merge(merged, self.reduced(beside, visiting)) if beside else merged
        out = {}
        for key in KEPT:
            if key not in schema:
                continue
            value = schema[key]
            if key == "properties":
                value = {name: self.reduced(sub, visiting) for name, sub in value.items()}
            elif key == "items":
                value = self.reduced(value, visiting)
            elif key in ("anyOf", "oneOf"):
                value = [self.reduced(sub, visiting) for sub in value]
            out[key] = value
        for part in schema.get("allOf", []):
            out = merge(out, self.reduced(part, visiting))
        return out

    def issues(self, responses, status):
        """{issue: description} the spec lists for one answer status of an operation."""
        found = {}
        answer = responses.get(status)
        if not answer:
            return found
        schema = answer["content"]["application/json"]["schema"]
        for part in schema.get("allOf", [schema]):
            target = self.ref(part["$ref"]) if "$ref" in part else part
            items = target.get("properties", {}).get("details", {}).get("items", {})
            for option in items.get("anyOf", []):
                properties = option.get("properties", {})
                descriptions = properties.get("description", {}).get("enum", [""])
                for issue in properties.get("issue", {}).get("enum", []):
                    found[issue] = descriptions[0]
        return dict(sorted(found.items()))

    def operation(self, method, path):
        operation = self.doc["paths"][path][method.lower()]
        headers, path_parameters = {}, {}
        for parameter in operation.get("parameters", []):
            if "$ref" in parameter:
                parameter = self.ref(parameter["$ref"])
            entry = {"required": bool(parameter.get("required", False)), "schema": self.reduced(parameter["schema"])}
            if parameter["in"] == "header":
                headers[parameter["name"]] = entry
            elif parameter["in"] == "path":
                path_parameters[parameter["name"]] = entry["schema"]
        body = operation.get("requestBody", {})
        return {
            "method": method,
            "path": path,
            "operation_id": operation["operationId"],
            "auth": "bearer",
            "content_type": "application/json",
            "headers": headers,
            "path_parameters": path_parameters,
            "body_required": bool(body.get("required", False)),
            "body": self.reduced(body["content"]["application/json"]["schema"]),
            "issues_400": self.issues(operation["responses"], "400"),
            "issues_422": self.issues(operation["responses"], "422"),
        }


def merge(a, b):
    """allOf of two reduced object schemas: properties and required united, the rest from b over a."""
    out = dict(a)
    for key, value in b.items():
        if key == "properties":
            out["properties"] = {**a.get("properties", {}), **value}
        elif key == "required":
            out["required"] = sorted(set(a.get("required", [])) | set(value))
        else:
            out[key] = value
    return out


orders = Spec(sys.argv[1])
webhooks = Spec(sys.argv[2])

token = {
    "method": "POST",
    "path": "/v1/oauth2/token",
    "operation_id": "oauth2.token",
    "auth": "basic",
    "content_type": "application/x-www-form-urlencoded",
    "headers": {},
    "path_parameters": {},
    "body_required": True,
    "body": {"type": "object", "required": ["grant_type"],
             "properties": {"grant_type": {"type": "string", "enum": ["client_credentials"]}}},
    "issues_400": {},
    "issues_422": {},
}

contract = {
    "_source": "Derived from paypal/paypal-rest-api-specifications at ec4d8f3 (2024-02-03): "
               "openapi/checkout_orders_v2.json (Orders " + orders.doc["info"]["version"] + ") and "
               "openapi/notifications_webhooks_v1.json (Webhooks " + webhooks.doc["info"]["version"] + "), by "
               "derive-paypal-contract.py beside this file; /v1/oauth2/token is written out by that script "
               "(PayPal publishes no spec for it). Do not edit by hand.",
    "orders_version": orders.doc["info"]["version"],
    "webhooks_version": webhooks.doc["info"]["version"],
    "operations": [
        token,
        orders.operation("POST", "/v2/checkout/orders"),
        orders.operation("POST", "/v2/checkout/orders/{id}/capture"),
        webhooks.operation("POST", "/v1/notifications/verify-webhook-signature"),
    ],
}
json.dump(contract, sys.stdout, indent=1, sort_keys=False)
sys.stdout.write("\n")
