#!/usr/bin/env python3
"""Writes twilio-contract.json, what FakeTwilio checks every request against.

Source: twilio/twilio-oai, spec/json/twilio_api_v2010.json at commit d50069b (2026-04-14). For the
one operation Tinko's notify-twilio plugin calls (CreateMessage), it keeps:
  - the path, the method, the path parameters' schemas and the security scheme (HTTP basic);
  - the form body's parameters reduced to what a request can be checked against (type, format,
    pattern, minLength, maxLength, enum, items), with $ref to component enums resolved;
  - "required" from the schema, and "required_one_of" from the operation's x-twilio
    "conditional" groups (snake_case names mapped to the form's names), e.g. From or
    MessagingServiceSid;
  - "max_characters": limits the spec states only in a description ("Can be up to 1,600
    characters in length" for Body);
  - the message resource's status values, and the spec's example 201 answer (the fake answers in
    that shape).

usage: derive-twilio-contract.py <twilio_api_v2010.json> > twilio-contract.json   (python3, no modules)
The output is checked in; the build never runs this script.
"""
import json
import re
import sys

PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
METHOD = "post"
KEPT = ("type", "format", "pattern", "minLength", "maxLength", "enum", "items")

spec = json.load(open(sys.argv[1]))
schemas = spec["components"]["schemas"]


def resolved(schema):
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def reduced(schema):
    schema = resolved(schema)
    if "oneOf" in schema or "allOf" in schema or "anyOf" in schema:
        sys.exit("the parameter schemas are expected to be plain; teach this script about oneOf, allOf and anyOf")
    out = {key: schema[key] for key in KEPT if key in schema}
    if "items" in out:
        out["items"] = reduced(out["items"])
    return out


def form_name(snake, properties):
    for name in properties:
        if name.lower() == snake.replace("_", ""):
            return name
    sys.exit("no form parameter for x-twilio conditional name " + snake)


operation = spec["paths"][PATH][METHOD]
body = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
properties = body["properties"]
schemes = spec["components"]["securitySchemes"]
security = [schemes[name] for requirement in operation["security"] for name in requirement]

max_characters = {}
for name, schema in properties.items():
    found = re.search(r"up to ([0-9][0-9,]*) characters", schema.get("description", ""))
    if found:
        max_characters[name] = int(found.group(1).replace(",", ""))

message = schemas["api.v2010.account.message"]
contract = {
    "_source": "Derived from twilio/twilio-oai spec/json/twilio_api_v2010.json at commit d50069b (2026-04-14) by "
               "derive-twilio-contract.py beside this file. Do not edit by hand.",
    "server": spec["servers"][0]["url"],
    "operations": [{
        "method": METHOD.upper(),
        "path": PATH,
        "operation_id": operation["operationId"],
        "security": [s["scheme"] for s in security],
        "content_type": "application/x-www-form-urlencoded",
        "path_parameters": {p["name"]: reduced(p["schema"]) for p in operation["parameters"] if p["in"] == "path"},
        "parameters": {name: reduced(schema) for name, schema in sorted(properties.items())},
        "required": body.get("required", []),
        "required_one_of": [[form_name(n, properties) for n in group]
                            for group in operation["x-twilio"].get("conditional", [])],
        "max_characters": max_characters,
        "response_status": 201,
        "response_example": operation["responses"]["201"]["content"]["application/json"]["examples"]["create"]["value"],
    }],
    "message_statuses": resolved(message["properties"]["status"])["enum"],
    "message_sid_pattern": message["properties"]["sid"]["pattern"],
}
json.dump(contract, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
