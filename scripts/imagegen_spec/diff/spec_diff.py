"""A structural diff of two OpenAPI 3.1 documents, each change classified by a rule in rules.py.

Hand-written because no maintained Python differ classifies OpenAPI 3.1 changes by direction
(see the README). Component schemas are compared once, by name, and their changes reported at the
component with the places that use it. Operations are compared with their `$ref`s unresolved: a
`$ref` that names the same component on both sides is left to the component comparison, and only
a `$ref` whose target changed name is resolved and compared in place. Parameters are matched by
(in, name), responses by status, headers and media types by name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from imagegen_spec.core.operation import HTTP_METHODS, JSON
from imagegen_spec.core.pointers import pointer
from imagegen_spec.core.specs import Spec
from imagegen_spec.diff.location import At
from imagegen_spec.diff.rules import Side
from imagegen_spec.diff.schema_diff import (
    MISSING,
    Change,
    SchemaDiffer,
    canonical,
    describe,
    get,
    keys,
    same,
    short,
    text_change,
)
from imagegen_spec.diff.usage import operation_prefix, operations, schema_usage

DOCUMENT_SIDE = frozenset({Side.DOCUMENT})
REQUEST_SIDE = frozenset({Side.REQUEST})
RESPONSE_SIDE = frozenset({Side.RESPONSE})


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """Every classified change from the old document to the new one, in document order."""
    return _DocumentDiffer(old, new).run()


class _DocumentDiffer(SchemaDiffer):
    """Walks the old and the new document side by side."""

    def __init__(self, old: Spec, new: Spec) -> None:
        super().__init__(old, new)
        old_usage, new_usage = schema_usage(old), schema_usage(new)
        names = set(old_usage.sides) | set(new_usage.sides)
        self.schema_sides = {
            name: frozenset(old_usage.sides.get(name, set()) | new_usage.sides.get(name, set()))
            for name in names
        }
        self.referrers = {
            name: tuple(new_usage.referrers.get(name) or old_usage.referrers.get(name) or ())
            for name in names
        }

    def run(self) -> list[Change]:
        """Compare the two documents and return the changes found."""
        self.document(At("", "", (), DOCUMENT_SIDE))
        return self.changes

    def document(self, at: At) -> None:
        """Compare the top-level fields."""
        # The global `security` is compared per operation, as each one's effective security.
        security_changed = not same(get(self.old, "security"), get(self.new, "security"))
        for key in keys(self.old, self.new):
            old, new = get(self.old, key), get(self.new, key)
            if key == "security" or (same(old, new) and not (key == "paths" and security_changed)):
                continue
            if key == "openapi":
                self.emit("openapi-version-changed", at.child(key, key), describe(old, new))
            elif key == "info":
                self.info(at.child(key, key), old, new)
            elif key == "servers":
                self.servers(at.child(key, key), old, new)
            elif key == "paths":
                self.paths(at.child(key), old, new)
            elif key == "components":
                self.components(at.child(key), old, new)
            else:
                self.other(key, at, old, new)

    def info(self, at: At, old: Any, new: Any) -> None:
        """Compare `info`; its `version` is the subject of the bump check, not a change."""
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if key != "version" and not same(before, after):
                self.emit("doc-changed", at.child(key, key), text_change(before, after))

    def servers(self, at: At, old: Any, new: Any) -> None:
        """Compare server lists by URL."""
        old_servers = {s.get("url"): (i, s) for i, s in enumerate(old or []) if isinstance(s, dict)}
        new_servers = {s.get("url"): (i, s) for i, s in enumerate(new or []) if isinstance(s, dict)}
        for url, (index, server) in old_servers.items():
            if url not in new_servers:
                self.emit("server-removed", at.child(index, str(url)), str(url), removed=True)
                continue
            new_index, new_server = new_servers[url]
            place = replace(at.child(index, str(url)), new_pointer=at.new_pointer + f"/{new_index}")
            for key in keys(server, new_server):
                before, after = get(server, key), get(new_server, key)
                if same(before, after):
                    continue
                if key == "variables":
                    self.emit("server-changed", place.child(key, key), describe(before, after))
                else:
                    self.other(key, place, before, after)
        for url, (index, _server) in new_servers.items():
            if url not in old_servers:
                self.emit("server-added", at.child(index, str(url)), str(url))

    # Paths and operations --------------------------------------------------------------------

    def paths(self, at: At, old: Any, new: Any) -> None:
        """Compare path items and their operations, matched by (path, method)."""
        old_ops = {(path, method): (item, op) for path, method, item, op in operations(self.old)}
        new_ops = {(path, method): (item, op) for path, method, item, op in operations(self.new)}
        for path in keys(old, new):
            path_at = at.child(path)
            old_item, new_item = get(old, path), get(new, path)
            for key in keys(old_item, new_item):
                before, after = get(old_item, key), get(new_item, key)
                if same(before, after) or key == "parameters" or key in HTTP_METHODS:
                    continue  # parameters and operations: compared per operation below
                if key == "servers":
                    self.servers(path_at.child(key, f"{path} servers"), before, after)
                else:
                    self.other(key, path_at, before, after)
        for op_key in [*old_ops, *[op_key for op_key in new_ops if op_key not in old_ops]]:
            path, method = op_key
            label = f"{method.upper()} {path}"
            op_at = at.child(path).child(method)
            if op_key not in new_ops:
                self.emit("operation-removed", replace(op_at, human=(label,)), label, removed=True)
            elif op_key not in old_ops:
                self.emit("operation-added", replace(op_at, human=(label,)), label)
            else:
                human = (label,) if operation_prefix(self.new, path, method) else ()
                self.operation(replace(op_at, human=human), *old_ops[op_key], *new_ops[op_key])

    def operation(
        self,
        at: At,
        old_item: dict[str, Any],
        old_op: dict[str, Any],
        new_item: dict[str, Any],
        new_op: dict[str, Any],
    ) -> None:
        """Compare one operation: fields, parameters, body, responses, security."""
        for key in keys(old_op, new_op):
            old, new = get(old_op, key), get(new_op, key)
            if same(old, new) or key in ("parameters", "requestBody", "responses", "security"):
                continue
            if key == "operationId":
                self.emit("operation-id-changed", at.child(key, key), describe(old, new))
            elif key == "servers":
                self.servers(at.child(key, key), old, new)
            else:
                self.other(key, at, old, new)
        self.parameters(at, old_item, old_op, new_item, new_op)
        self.request_body(at, old_op, new_op)
        self.responses(at.child("responses"), get(old_op, "responses"), get(new_op, "responses"))
        self.security(at, old_op, new_op)

    def _parameters(
        self, document: Spec, at_op: At, item: dict[str, Any], op: dict[str, Any], old: bool
    ) -> dict[tuple[str, str], tuple[str, Any]]:
        found: dict[tuple[str, str], tuple[str, Any]] = {}
        op_pointer = at_op.old_pointer if old else at_op.new_pointer
        item_pointer = op_pointer.rsplit("/", 1)[0]
        for owner_pointer, owner in ((item_pointer, item), (op_pointer, op)):
            for index, raw in enumerate(owner.get("parameters") or []):
                resolved = self.resolve(document, raw, f"{owner_pointer}/parameters/{index}")
                key = (str(resolved.get("in")), str(resolved.get("name")))
                found[key] = (f"{owner_pointer}/parameters/{index}", raw)
        return found

    def parameters(
        self,
        at: At,
        old_item: dict[str, Any],
        old_op: dict[str, Any],
        new_item: dict[str, Any],
        new_op: dict[str, Any],
    ) -> None:
        """Compare path-level and operation parameters, matched by (in, name)."""
        old_params = self._parameters(self.old, at, old_item, old_op, old=True)
        new_params = self._parameters(self.new, at, new_item, new_op, old=False)
        for key in [*old_params, *[key for key in new_params if key not in old_params]]:
            location, name = key
            label = f"{location} parameter {name}"
            old_pointer, old_raw = old_params.get(key, ("", MISSING))
            new_pointer, new_raw = new_params.get(key, ("", MISSING))
            place = At(old_pointer, new_pointer, (*at.human, label), REQUEST_SIDE)
            if old_raw is MISSING:
                required = self.resolve(self.new, new_raw, new_pointer).get("required") is True
                rule = "parameter-added-required" if required else "parameter-added-optional"
                self.emit(rule, place, label)
            elif new_raw is MISSING:
                self.emit("parameter-removed", place, label, removed=True)
            elif not same(old_raw, new_raw):
                self.parameter(*self._resolved_pair(place, old_raw, new_raw))

    def _resolved_pair(self, at: At, old: Any, new: Any) -> tuple[At, Any, Any]:
        """Resolve both sides of a `$ref`'d object, moving the pointers to the targets."""
        old_ref, new_ref = get(old, "$ref"), get(new, "$ref")
        moved = at.moved(
            old_ref.removeprefix("#") if isinstance(old_ref, str) else None,
            new_ref.removeprefix("#") if isinstance(new_ref, str) else None,
        )
        return (
            moved,
            self.resolve(self.old, old, at.old_pointer),
            self.resolve(self.new, new, at.new_pointer),
        )

    def parameter(self, at: At, old: Any, new: Any) -> None:
        """Compare two parameters or two headers (which have the same fields)."""
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if same(before, after) or key in ("name", "in"):
                continue
            if key == "required":
                self.required_flag(at, before, after)
            elif key == "schema":
                self.schema(at.child(key), before, after)
            elif key == "content":
                self.content(at.child(key), before, after)
            else:
                self.other(key, at, before, after)

    def required_flag(self, at: At, old: Any, new: Any) -> None:
        """Report a `required: true` flag set or cleared."""
        was, now = old is True, new is True
        if now and not was:
            self.emit("required-added", at.child("required"), "now required")
        elif was and not now:
            self.emit("required-removed", at.child("required"), "now optional")

    def request_body(self, at_op: At, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        """Compare an operation's request bodies."""
        old, new = get(old_op, "requestBody"), get(new_op, "requestBody")
        if same(old, new):
            return
        at = replace(at_op.child("requestBody", "request body"), sides=REQUEST_SIDE)
        at, old_body, new_body = self._resolved_pair(at, old, new)
        self.body(
            at, old_body if old is not MISSING else {}, new_body if new is not MISSING else {}
        )

    def body(self, at: At, old: Any, new: Any) -> None:
        """Compare two request bodies."""
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if same(before, after):
                continue
            if key == "required":
                self.required_flag(at, before, after)
            elif key == "content":
                self.content(at.child(key), before, after)
            else:
                self.other(key, at, before, after)

    def content(self, at: At, old: Any, new: Any) -> None:
        """Compare media types by name, and the schema of each."""
        for media in keys(old, new):
            before, after = get(old, media), get(new, media)
            if same(before, after):
                continue
            place = at.child(media, None if media == JSON else media)
            if before is MISSING:
                self.emit("media-type-added", place, media)
            elif after is MISSING:
                self.emit("media-type-removed", place, media, removed=True)
            else:
                for key in keys(before, after):
                    old_value, new_value = get(before, key), get(after, key)
                    if same(old_value, new_value):
                        continue
                    if key == "schema":
                        self.schema(place.child(key), old_value, new_value)
                    else:
                        self.other(key, place, old_value, new_value)

    def responses(self, at: At, old: Any, new: Any) -> None:
        """Compare responses by status."""
        for status in keys(old, new):
            before, after = get(old, status), get(new, status)
            if same(before, after):
                continue
            place = replace(at.child(status, f"response {status}"), sides=RESPONSE_SIDE)
            if before is MISSING:
                success = str(status).startswith("2")
                rule = "success-response-added" if success else "error-response-added"
                self.emit(rule, place, f"status {status}")
            elif after is MISSING:
                self.emit("response-removed", place, f"status {status}", removed=True)
            else:
                self.response(*self._resolved_pair(place, before, after))

    def response(self, at: At, old: Any, new: Any) -> None:
        """Compare two responses: headers, content and the rest."""
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if same(before, after):
                continue
            if key == "headers":
                self.headers(at.child(key), before, after)
            elif key == "content":
                self.content(at.child(key), before, after)
            else:
                self.other(key, at, before, after)

    def headers(self, at: At, old: Any, new: Any) -> None:
        """Compare response headers by name."""
        for name in keys(old, new):
            before, after = get(old, name), get(new, name)
            if same(before, after):
                continue
            place = at.child(name, f"header {name}")
            if before is MISSING:
                required = self.resolve(self.new, after, place.new_pointer).get("required") is True
                rule = "header-added-required" if required else "header-added-optional"
                self.emit(rule, place, f"header {name}")
            elif after is MISSING:
                self.emit("header-removed", place, f"header {name}", removed=True)
            else:
                self.parameter(*self._resolved_pair(place, before, after))

    def security(self, at_op: At, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        """Compare the effective security requirements (the operation's or the global ones)."""

        def effective(document: Spec, op: dict[str, Any]) -> dict[str, Any]:
            requirements = op["security"] if "security" in op else document.get("security")
            return {canonical(req): req for req in requirements or []}

        old, new = effective(self.old, old_op), effective(self.new, new_op)
        if "security" in old_op or "security" in new_op:
            at = at_op.child("security", "security")
        else:
            at = At("/security", "/security", ("security",), DOCUMENT_SIDE)
        for key, requirement in new.items():
            if key not in old:
                self.emit("security-requirement-added", at, short(requirement or "no auth"))
        for key, requirement in old.items():
            if key not in new:
                self.emit("security-requirement-removed", at, short(requirement or "no auth"))

    # Components ------------------------------------------------------------------------------

    def components(self, at: At, old: Any, new: Any) -> None:
        """Compare components by section and name, each once."""
        kinds = {
            "schemas": ("schema", None),
            "responses": ("response", RESPONSE_SIDE),
            "parameters": ("parameter", REQUEST_SIDE),
            "requestBodies": ("request body", REQUEST_SIDE),
            "headers": ("header", RESPONSE_SIDE),
            "securitySchemes": ("security scheme", DOCUMENT_SIDE),
            "examples": ("example", DOCUMENT_SIDE),
        }
        for section in keys(old, new):
            old_section, new_section = get(old, section), get(new, section)
            if same(old_section, new_section):
                continue
            if section not in kinds:
                self.other(section, at, old_section, new_section)
                continue
            noun, sides = kinds[section]
            for name in keys(old_section, new_section):
                before, after = get(old_section, name), get(new_section, name)
                if same(before, after):
                    continue
                component = pointer("components", section, name)
                label = f"{noun} {name}"
                if section == "schemas":
                    place = At.root(
                        component,
                        label,
                        self.schema_sides.get(name, frozenset()),
                        self.referrers.get(name, ()),
                    )
                else:
                    place = At.root(component, label, sides or DOCUMENT_SIDE)
                if before is MISSING or after is MISSING:
                    rule = "component-added" if before is MISSING else "component-removed"
                    self.emit(
                        rule, replace(place, sides=DOCUMENT_SIDE), label, removed=after is MISSING
                    )
                elif section == "schemas":
                    self.schema(place, before, after)
                elif section == "responses":
                    self.response(place, before, after)
                elif section in ("parameters", "headers"):
                    self.parameter(place, before, after)
                elif section == "requestBodies":
                    self.body(place, before, after)
                elif section == "securitySchemes":
                    self.security_scheme(place, before, after)
                else:
                    self.emit("doc-changed", place, describe(before, after))

    def security_scheme(self, at: At, old: Any, new: Any) -> None:
        """Compare two security schemes."""
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if same(before, after) or self.annotation(key, at, before, after):
                continue
            self.emit("security-scheme-changed", at.child(key, key), describe(before, after))
