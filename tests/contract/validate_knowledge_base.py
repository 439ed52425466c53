"""Validates a knowledge-base document against its JSON Schema.

Usage: validate_knowledge_base.py SCHEMA DOCUMENT

SCHEMA is openapi/knowledge-base.schema.json; DOCUMENT is what `rolebase export`
prints (or what `rolebase import kb FILE` is to read). Prints each problem with
its JSON path and exits 1 when there is any; prints a one-line summary and exits
0 when there is none. Exits 2 when a file cannot be read or the schema itself
is not valid JSON Schema.

The schema checks the shape of each entry; rules across entries (unique keys,
references to entries that exist, the order of salary figures) are left to the
service.
"""

import functools
import json
import re
import sys

from jsonschema import Draft202012Validator, SchemaError, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import extend


@functools.lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern:
    """Compiles a JSON Schema (ECMA-262) pattern for Python's `re`, where `$`
    also matches before a final newline: outside a character class, an
    unescaped `$` becomes `\\Z`, the end of the string only."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def pattern(validator, patrn, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(patrn).search(instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


Validator = extend(Draft202012Validator, {"pattern": pattern})


def load(path: str):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def sort_key(error: ValidationError):
    # Paths mix keys and indexes: order by type first so they compare.
    return [(isinstance(part, str), part) for part in error.absolute_path]


def explain(error: ValidationError) -> tuple[str, str]:
    """Where the error is and what is wrong, put more plainly than the bare
    message where the schema combines alternatives."""
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("anyOf", "oneOf") and error.context:
        # A nullable value that is not null: what is wrong with the value.
        causes = [
            cause
            for cause in error.context
            if not (cause.validator == "type" and cause.validator_value == "null")
        ]
        if causes and len(causes) < len(error.context):
            return explain(best_match(causes))
        if description:
            return error.json_path, description
        return explain(best_match(error.context))
    if error.validator == "pattern" and description:
        # The schema's words rather than its regular expression.
        return error.json_path, f"{shorten(error.instance)} is not {lowercase_first(description)}"
    message = error.message
    if len(message) > 200:
        message = message[:200] + "…"
    return error.json_path, message


def shorten(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def lowercase_first(description: str) -> str:
    sentence = description.split(". ")[0].rstrip(".")
    return sentence[:1].lower() + sentence[1:]


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    schema_path, document_path = arguments
    loaded = []
    for path in (schema_path, document_path):
        try:
            loaded.append(load(path))
        except (OSError, ValueError) as error:
            print(f"cannot read {path}: {error}", file=sys.stderr)
            return 2
    schema, document = loaded
    try:
        Validator.check_schema(schema)
    except SchemaError as error:
        print(f"{schema_path} is not a valid JSON Schema: {error.message}", file=sys.stderr)
        return 2
    validator = Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=sort_key)
    for error in errors:
        path, message = explain(error)
        print(f"{path}: {message}")
    if errors:
        print(f"FAIL {document_path}: {len(errors)} problem(s)")
        return 1
    counts = [
        (len(document["roles"]), "roles"),
        (len(document["skills"]), "skills"),
        (len(document["sources"]), "sources"),
        (len(document["career_steps"]), "career steps"),
        (len(document["comparisons"]), "comparisons"),
        (len(document["synonyms"]), "synonyms"),
    ]
    print("ok: " + ", ".join(f"{count} {what}" for count, what in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
