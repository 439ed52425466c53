"""Every role's JSON-LD, expanded by a real JSON-LD processor (pyld), says
what schema.org readers expect: an Occupation with the typed nodes search
engines read, and only terms that schema.org defines.

Usage: jsonld.py URL

The service names its context as `https://schema.org`. This machine cannot
fetch it, so the document loader answers for it with the one rule of
schema.org's published context that expansion needs here: every term is in
the `http://schema.org/` vocabulary (`@vocab`), and `url` names a resource.
A misspelled or invented term would still expand under `@vocab`, so every
expanded type and property is checked against schema.org's own list of
terms, as rdflib ships it.
"""

import json
import sys
import urllib.request

from pyld import jsonld
from rdflib.namespace import SDO

SCHEMA = "http://schema.org/"
CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
    }
}
SCHEMA_TERMS = set(SDO.__annotations__)


def load_document(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(f"no network here: {url}", "jsonld.LoadDocumentError")


jsonld.set_document_loader(load_document)


def get(base, path, accept="application/json"):
    request = urllib.request.Request(base + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Type"), json.load(response)


def role_slugs(base):
    slugs, path = [], "/roles?limit=100"
    while path:
        _, page = get(base, path)
        slugs += [role["slug"] for role in page["items"]]
        cursor = page["next_cursor"]
        path = f"/roles?limit=100&cursor={cursor}" if cursor else None
    return slugs


def term(iri):
    assert iri.startswith(SCHEMA), f"{iri} is not a schema.org term"
    name = iri[len(SCHEMA):]
    assert name in SCHEMA_TERMS, f"{name} is not a term schema.org defines"
    return name


def check_terms(node):
    """Every type and property anywhere in an expanded node is schema.org's."""
    if isinstance(node, list):
        for item in node:
            check_terms(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                for kind in value:
                    term(kind)
            elif not key.startswith("@"):
                term(key)
            check_terms(value)


def types(node):
    return [term(kind) for kind in node.get("@type", [])]


def nodes(node, prop):
    return node.get(SCHEMA + prop, [])


def values(node, prop):
    return [item["@value"] for item in nodes(node, prop) if "@value" in item]


def check_occupation(slug, document, role):
    expanded = jsonld.expand(document)
    assert len(expanded) == 1, f"{slug}: one node, got {len(expanded)}"
    occupation = expanded[0]
    check_terms(occupation)
    assert types(occupation) == ["Occupation"], f"{slug}: {types(occupation)}"
    assert values(occupation, "name") == [role["title"]], slug
    assert values(occupation, "description") == [role["summary"]], slug

    categories = nodes(occupation, "occupationalCategory")
    codes = [values(code, "codeValue")[0] for code in categories]
    assert codes == role["soc_codes"] + ([role["isco_code"]] if role["isco_code"] else []), slug
    for code in categories:
        assert types(code) == ["CategoryCode"], slug
        (code_set,) = nodes(code, "inCodeSet")
        assert types(code_set) == ["CategoryCodeSet"], slug
        assert values(code_set, "name")[0] in ("SOC 2018", "ISCO-08"), slug

    expected = {
        "skills": ["DefinedTerm"],
        "educationRequirements": ["EducationalOccupationalCredential"],
        "qualifications": ["EducationalOccupationalCredential"],
        "experienceRequirements": ["OccupationalExperienceRequirements"],
        "estimatedSalary": ["MonetaryAmountDistribution", "MonetaryAmount"],
        "occupationLocation": ["Country", "State", "AdministrativeArea"],
        "citation": ["CreativeWork", "Dataset"],
    }
    for prop, allowed in expected.items():
        for item in nodes(occupation, prop):
            kinds = types(item)
            assert len(kinds) == 1 and kinds[0] in allowed, f"{slug}: {prop} is {kinds}"
    for requirement in nodes(occupation, "experienceRequirements"):
        for months in values(requirement, "monthsOfExperience"):
            assert isinstance(months, int) and months >= 0, f"{slug}: {months}"
    for salary in nodes(occupation, "estimatedSalary"):
        assert values(salary, "currency"), f"{slug}: a salary names its currency"
        figures = [
            value
            for prop in ("percentile10", "percentile25", "median", "percentile75", "percentile90", "value")
            for value in values(salary, prop)
        ]
        assert figures and all(figure > 0 for figure in figures), f"{slug}: {figures}"
    (location,) = nodes(occupation, "occupationLocation")
    assert values(location, "name"), slug
    assert len(nodes(occupation, "responsibilities")) == len(role["responsibilities"]), slug
    return occupation


def main():
    base = sys.argv[1].rstrip("/")
    slugs = role_slugs(base)
    assert len(slugs) >= 40, f"the whole catalogue: {len(slugs)} roles"
    for slug in slugs:
        _, role = get(base, f"/roles/{slug}?include=responsibilities")
        content_type, document = get(base, f"/roles/{slug}/jsonld")
        assert content_type == "application/ld+json", f"{slug}: {content_type}"
        check_occupation(slug, document, role)
        negotiated_type, negotiated = get(base, f"/roles/{slug}", "application/ld+json")
        assert negotiated_type == "application/ld+json", f"{slug}: {negotiated_type}"
        assert negotiated == document, f"{slug}: Accept gives the same document"
    print(f"the JSON-LD of {len(slugs)} roles expands to schema.org Occupations")


if __name__ == "__main__":
    main()
