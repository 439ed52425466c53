"""Validates OpenAPI documents as OpenAPI 3.x.

Usage: validate_openapi.py FILE_OR_URL...

Each argument is a file or an http(s) URL (the live /openapi.json). Exits
non-zero, naming the document and the first problem, when one is invalid.
"""

import json
import sys
import urllib.request

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


def load(location: str) -> dict:
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=30) as response:
            return json.load(response)
    with open(location, encoding="utf-8") as file:
        return json.load(file)


def check(location: str) -> str | None:
    try:
        document = load(location)
    except (OSError, ValueError) as error:
        return f"cannot read it: {error}"
    version = str(document.get("openapi", ""))
    # validate() would also accept Swagger 2.0; the service promises 3.x.
    if not version.startswith("3."):
        return f"`openapi` is {version!r}, not 3.x"
    try:
        validate(document)
    except OpenAPIValidationError as error:
        path = "/".join(str(part) for part in error.path) or "(root)"
        return f"at {path}: {error.message}"
    except Exception as error:  # e.g. a $ref to nowhere, raised while resolving
        return f"{type(error).__name__}: {str(error)[:300]}"
    return None


def main(locations: list[str]) -> int:
    if not locations:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = 0
    for location in locations:
        problem = check(location)
        if problem:
            failed += 1
            print(f"FAIL {location}: {problem}")
        else:
            print(f"ok   {location}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
