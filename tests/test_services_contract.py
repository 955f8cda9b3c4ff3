"""The services modules keep the promise their docstrings make: an explicit actor, a row lock
and a recorded event, or a docstring that says why not."""

import ast
import importlib
import inspect
import pkgutil

import pytest

from organisations import services as organisation_services
from pledges import services as pledge_services

# The pledges services are a package of one module per subject; each is walked on its own.
MODULES = [organisation_services] + [
    importlib.import_module(f"{pledge_services.__name__}.{info.name}")
    for info in pkgutil.iter_modules(pledge_services.__path__)
    if not info.name.startswith("_")
]
LOCKS = {"select_for_update"}
RECORDS = {"_record"}


def _public_services(module):
    return [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == module.__name__
    ]


def _calls(module, function, seen=None) -> set[str]:
    """Every name the function calls, following the module's own private helpers."""
    seen = seen if seen is not None else set()
    tree = ast.parse(inspect.getsource(inspect.unwrap(function)).lstrip())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            names.add(name)
            helper = getattr(module, name, None)
            if name.startswith("_") and inspect.isfunction(helper) and name not in seen:
                seen.add(name)  # a shared helper's own calls are found in its own module
                names |= _calls(inspect.getmodule(helper), helper, seen)
    return names


SERVICES = [
    pytest.param(module, function, id=f"{module.__name__}.{function.__name__}")
    for module in MODULES
    for function in _public_services(module)
]


def test_every_service_is_found():
    names = {function.__name__ for _module, function in (param.values for param in SERVICES)}
    assert {"pledge_submit", "progress_update_hide", "membership_remove", "concern_report"} <= names
    assert len(names) >= 33
    exported = {name for name in pledge_services.__all__ if name[0].islower()}
    assert exported <= names  # every service the package exports is checked


@pytest.mark.parametrize(("module", "function"), SERVICES)
def test_every_service_takes_its_actor_as_keyword_only_by(module, function):
    parameters = inspect.signature(function).parameters
    assert "by" in parameters, f"{function.__name__} has no `by`"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), (
        f"{function.__name__} takes positional arguments"
    )


@pytest.mark.parametrize(("module", "function"), SERVICES)
def test_every_service_locks_and_records_or_says_why_not(module, function):
    calls = _calls(module, function)
    doc = inspect.getdoc(function) or ""
    locks = bool(calls & LOCKS)
    records = bool(calls & RECORDS)
    assert locks or "Not locked" in doc, f"{function.__name__}: no row lock and no reason"
    assert records or "Not recorded" in doc, (
        f"{function.__name__}: records no event and does not say why"
    )


def test_every_service_is_atomic_or_locks_nothing():
    for _module, function in (param.values for param in SERVICES):
        source = inspect.getsource(function)
        assert "@transaction.atomic" in source or "Not locked" in (function.__doc__ or ""), (
            function.__name__
        )
