"""The `__init__` signatures of generated attrs and pydantic models, for griffe to compare.

griffe reads code statically and sees no `__init__` in a class that attrs (`@define`) or pydantic
(`BaseModel`) gives one at run time, so it cannot tell that a constructor's parameters changed.
`add_constructors` writes that `__init__` into the loaded package as the library would make it:
attrs takes the annotated fields in order (an `alias` or the name without its leading `_`,
`init=False` left out, keyword-only with `kw_only=True`, the `default` or `factory`, inherited
fields first); pydantic takes every field as a keyword. `griffe.find_breaking_changes` then
reports a removed or renamed parameter, a changed kind or default, a new required parameter,
and a moved positional one.
"""

from __future__ import annotations

from collections.abc import Iterator

import griffe

ATTRS_DECORATORS = frozenset(
    {"attrs.define", "attrs.frozen", "attr.define", "attr.s", "attr.attrs"}
)
ATTRS_FIELDS = frozenset({"attrs.field", "attr.field", "attr.ib", "attr.attrib"})
PYDANTIC_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
PYDANTIC_NOT_FIELDS = frozenset({"model_config"})
KEYWORD = griffe.ParameterKind.keyword_only
POSITIONAL = griffe.ParameterKind.positional_or_keyword


def _call_arguments(value: object) -> dict[str, str]:
    """Keyword arguments of a call expression, as source text."""
    if not isinstance(value, griffe.ExprCall):
        return {}
    return {
        argument.name: str(argument.value)
        for argument in value.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


def _path(value: object) -> str:
    if isinstance(value, griffe.ExprCall):
        value = value.function
    return str(getattr(value, "canonical_path", value))


def _attrs_decorator(cls: griffe.Class) -> dict[str, str] | None:
    """The attrs decorator's arguments, or None when the class is not an attrs class."""
    for decorator in cls.decorators:
        if _path(decorator.value) in ATTRS_DECORATORS:
            return _call_arguments(decorator.value)
    return None


def _is_pydantic(cls: griffe.Class) -> bool:
    return any(_path(base) in PYDANTIC_BASES for base in cls.bases)


def _fields(cls: griffe.Class) -> Iterator[griffe.Attribute]:
    for member in cls.members.values():
        if (
            isinstance(member, griffe.Attribute)
            and member.annotation is not None
            and member.labels & {"class-attribute", "instance-attribute"}
        ):
            yield member


def _attrs_parameters(cls: griffe.Class, kw_only: bool) -> list[griffe.Parameter]:
    parameters = []
    for member in _fields(cls):
        arguments = _call_arguments(member.value) if _path(member.value) in ATTRS_FIELDS else {}
        if arguments.get("init") == "False":
            continue
        name = arguments.get("alias", "").strip("'\"") or member.name.lstrip("_")
        if "factory" in arguments:
            default: str | None = f"{arguments['factory']}()"
        elif arguments or member.value is None:
            default = arguments.get("default")
        else:
            default = str(member.value)
        keyword = kw_only or arguments.get("kw_only") == "True"
        kind = KEYWORD if keyword else POSITIONAL
        parameters.append(
            griffe.Parameter(name, annotation=member.annotation, kind=kind, default=default)
        )
    return parameters


def _pydantic_parameters(cls: griffe.Class) -> list[griffe.Parameter]:
    return [
        griffe.Parameter(
            member.name,
            annotation=member.annotation,
            kind=KEYWORD,
            default=None if member.value is None else str(member.value),
        )
        for member in _fields(cls)
        if member.name not in PYDANTIC_NOT_FIELDS
    ]


def _lineage(cls: griffe.Class) -> list[griffe.Class]:
    try:
        return [*reversed(cls.mro()), cls]
    except Exception:  # griffe raises on bases it cannot resolve; use the class alone
        return [cls]


def constructor_parameters(cls: griffe.Class) -> list[griffe.Parameter] | None:
    """The parameters (without self) the library's `__init__` has, or None if not a model."""
    decorator = _attrs_decorator(cls)
    if decorator is not None:
        found: dict[str, griffe.Parameter] = {}
        for owner in _lineage(cls):
            owner_decorator = _attrs_decorator(owner)
            if owner_decorator is not None:
                kw_only = owner_decorator.get("kw_only") == "True"
                found.update({p.name: p for p in _attrs_parameters(owner, kw_only)})
        ordered = list(found.values())
        return [p for p in ordered if p.kind is not KEYWORD] + [
            p for p in ordered if p.kind is KEYWORD
        ]
    if _is_pydantic(cls):
        return _pydantic_parameters(cls)
    return None


def _classes(obj: griffe.Module | griffe.Class) -> Iterator[griffe.Class]:
    for member in obj.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Class):
            yield member
            yield from _classes(member)
        elif isinstance(member, griffe.Module):
            yield from _classes(member)


def add_constructors(package: griffe.Module) -> int:
    """Give every attrs or pydantic class without an `__init__` the one it has at run time."""
    added = 0
    for cls in _classes(package):
        if "__init__" in cls.members:
            continue
        parameters = constructor_parameters(cls)
        if parameters is None:
            continue
        self_parameter = griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)
        init = griffe.Function(
            "__init__",
            lineno=cls.lineno,
            endlineno=cls.lineno,
            parent=cls,
            parameters=griffe.Parameters(self_parameter, *parameters),
            returns="None",
        )
        cls.set_member("__init__", init)
        added += 1
    return added
