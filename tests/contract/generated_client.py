"""A client generated from the document by openapi-python-client (the
generator integrating teams use most) against the running service.

Generated clients send list parameters exploded (`roles=a&roles=b`), not in
the document's `explode: false` form: the service must take both. Every
answer must parse into the generated models.

    generated_client.py OPENAPI_JSON SERVICE_URL
"""

import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def generate(document: str, into: Path) -> None:
    generator = shutil.which("openapi-python-client") or str(
        Path(sys.executable).parent / "openapi-python-client"
    )
    subprocess.run(
        [generator, "generate", "--path", document, "--output-path",
         str(into / "rolebase_client"), "--meta", "none"],
        check=True,
    )


def check(url: str) -> None:
    client_module = importlib.import_module("rolebase_client")
    roles = importlib.import_module("rolebase_client.api.roles")
    search_api = importlib.import_module("rolebase_client.api.search.search")
    models = importlib.import_module("rolebase_client.models")
    for name in ("compare_roles", "get_requirements", "get_role", "list_roles"):
        importlib.import_module(f"rolebase_client.api.roles.{name}")
    client = client_module.Client(base_url=url, raise_on_unexpected_status=True)

    # The case that failed: `roles` repeated, as the generated code sends it.
    compared = roles.compare_roles.sync_detailed(
        client=client, roles=["technical-lead", "engineering-manager"]
    )
    assert compared.status_code == 200, compared.content
    assert isinstance(compared.parsed, models.Comparison), compared.parsed
    assert [role.slug for role in compared.parsed.roles] == [
        "technical-lead", "engineering-manager"], compared.parsed.roles
    print("compare_roles: roles=a&roles=b answered 200")

    requirements = roles.get_requirements.sync_detailed("technical-lead", client=client)
    assert requirements.status_code == 200, requirements.content
    assert isinstance(requirements.parsed, models.RequirementList)
    assert requirements.parsed.items, "technical-lead has requirements"
    print(f"get_requirements: {len(requirements.parsed.items)} requirements")

    role = roles.get_role.sync_detailed(
        "technical-lead", client=client, include="responsibilities,skills")
    assert role.status_code == 200, role.content
    assert isinstance(role.parsed, models.RoleWithChildren)
    assert role.parsed.slug == "technical-lead"

    # Pages followed through the generated model's cursor.
    seen = []
    cursor = client_module.types.UNSET
    while True:
        page = roles.list_roles.sync_detailed(client=client, limit=7, cursor=cursor)
        assert page.status_code == 200, page.content
        seen += [summary.slug for summary in page.parsed.items]
        if not isinstance(page.parsed.next_cursor, str):
            break
        cursor = page.parsed.next_cursor
    assert len(seen) == len(set(seen)) and len(seen) > 7, seen
    print(f"list_roles: {len(seen)} roles over pages of 7")

    # Search's `type`, a list too, exploded.
    hits = search_api.sync_detailed(
        client=client, q="lead",
        type_=[models.SearchKind("role"), models.SearchKind("skill")])
    assert hits.status_code == 200, hits.content
    assert isinstance(hits.parsed, models.SearchResults)
    assert hits.parsed.items, "something matches `lead`"
    print(f"search: {len(hits.parsed.items)} hits")


def main() -> None:
    document, url = sys.argv[1], sys.argv[2].rstrip("/")
    with tempfile.TemporaryDirectory() as scratch:
        generate(document, Path(scratch))
        sys.path.insert(0, scratch)
        check(url)
    print("the generated client works against the service")


if __name__ == "__main__":
    main()
