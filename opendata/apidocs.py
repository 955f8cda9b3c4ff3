"""API reference, read from the API's own OpenAPI schema and drawn as a plain HTML page.

We do not serve Swagger UI: it needs JavaScript and fails the accessibility checks.
Reading the schema keeps this page true whenever the API changes.
"""

from functools import cache

from django.utils.html import format_html, format_html_join

from .api import api

_FORMATS = {"date": "date (YYYY-MM-DD)", "date-time": "date and time (ISO 8601)", "uri": "URL"}


def _name(ref):
    return ref.rsplit("/", 1)[-1]


def type_html(schema):
    """A short, linked description of a JSON schema type: "list of <a>Priority</a> or null"."""
    if "$ref" in schema:
        name = _name(schema["$ref"])
        return format_html('<a class="govuk-link" href="#object-{}">{}</a>', name, name)
    if "anyOf" in schema:
        return format_html_join(" or ", "{}", ((type_html(option),) for option in schema["anyOf"]))
    if schema.get("type") == "array":
        return format_html("list of {}", type_html(schema.get("items", {})))
    if schema.get("type") == "object":
        values = schema.get("additionalProperties")
        return format_html(
            "map of name to {}", type_html(values if isinstance(values, dict) else {})
        )
    kind = _FORMATS.get(schema.get("format"), schema.get("type", "any value"))
    return format_html("{}", kind)


def _limits(schema):
    schema = next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)
    parts = []
    if "minimum" in schema:
        parts.append(f"at least {schema['minimum']}")
    if "maximum" in schema:
        parts.append(f"at most {schema['maximum']}")
    return ", ".join(parts)


def _parameter(parameter):
    schema = parameter.get("schema", {})
    notes = [_limits(schema)]
    if "default" in schema:
        notes.append(f"default {schema['default']}")
    return {
        "name": parameter["name"],
        "where": "path" if parameter["in"] == "path" else "query string",
        "type": type_html(schema),
        "required": parameter.get("required", False),
        "notes": "; ".join(note for note in notes if note),
    }


def _responses(responses):
    for status, response in sorted(responses.items()):
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        yield {
            "status": status,
            "meaning": response.get("description", ""),
            "type": type_html(schema) if schema else "",
        }


def _object(name, schema):
    required = set(schema.get("required", []))
    return {
        "name": name,
        "fields": [
            {"name": field, "type": type_html(spec), "required": field in required}
            for field, spec in schema.get("properties", {}).items()
        ],
    }


def _referenced(node, components, found=None):
    """Names of the objects a part of the schema points to, followed all the way down."""
    found = set() if found is None else found
    if isinstance(node, dict):
        if "$ref" in node and (name := _name(node["$ref"])) not in found:
            found.add(name)
            _referenced(components[name], components, found)
        for value in node.values():
            _referenced(value, components, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, components, found)
    return found


@cache
def reference():
    """The operations and objects of the API, ready for the template (built once per process)."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "anchor": operation["operationId"],
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "example": path if "{" not in path else "",
            "parameters": [_parameter(p) for p in operation.get("parameters", [])],
            "responses": list(_responses(operation["responses"])),
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    components = schema["components"]["schemas"]
    named = _referenced(schema["paths"], components)
    objects = [_object(name, spec) for name, spec in components.items() if name in named]
    return {"operations": operations, "objects": objects}
