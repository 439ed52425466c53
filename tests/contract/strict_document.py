"""Writes a strict copy of the OpenAPI document, for checking responses: every
object a response can hold refuses properties the document does not name
(`additionalProperties: false`), so a field the service leaks, or renames,
fails the check, as a dropped required field already does.

Usage: strict_document.py DOCUMENT OUT

The published document stays open, so that clients keep working when a
field is added. Objects composed with `allOf` (Rust's `#[serde(flatten)]`)
are merged into one object first: a strict part would refuse its siblings'
properties.
"""

import copy
import json
import sys

PREFIX = "#/components/schemas/"


def merged(schema, schemas):
    """`schema` with its `allOf` members merged into one object."""
    if "$ref" in schema:
        return merged(schemas[schema["$ref"][len(PREFIX):]], schemas)
    if "allOf" not in schema:
        return copy.deepcopy(schema)
    result = {"type": "object", "properties": {}, "required": []}
    for member in schema["allOf"]:
        part = merged(member, schemas)
        result["properties"].update(part.get("properties", {}))
        result["required"] += [name for name in part.get("required", []) if name not in result["required"]]
    for key, value in schema.items():
        if key not in ("allOf", "type", "properties", "required"):
            result[key] = value
    return result


def strict(schema):
    """Closes every object with named properties, anywhere in `schema`."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: strict(value) for key, value in schema.items()}
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    return schema


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source) as file:
        document = json.load(file)
    schemas = document["components"]["schemas"]
    originals = copy.deepcopy(schemas)
    for name in schemas:
        schemas[name] = strict(merged(originals[name], originals))
    with open(target, "w") as file:
        json.dump(document, file, indent=1)
    closed = sum(1 for schema in schemas.values() if schema.get("additionalProperties") is False)
    print(f"{closed} of {len(schemas)} schemas closed in {target}")


if __name__ == "__main__":
    main()
