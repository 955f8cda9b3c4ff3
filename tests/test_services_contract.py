"""Every write goes through a service, and the services keep the promise their docstrings
make: an explicit actor, a row lock and a recorded event, or a docstring that says why not."""

import ast
import importlib
import inspect
import pkgutil

import pytest

from moderation import services as moderation_services
from organisations import services as organisation_services
from pledges import services as pledge_services
from privacy import services as privacy_services
from stories import services as story_services
from tests.project import APPS, ROOT

# The pledges services are a package of one module per subject; each is walked on its own.
MODULES = [organisation_services, moderation_services, privacy_services, story_services] + [
    importlib.import_module(f"{pledge_services.__name__}.{info.name}")
    for info in pkgutil.iter_modules(pledge_services.__path__)
    if not info.name.startswith("_")
]

# Calls that write rows through the ORM (a queryset's update is found by its keyword-only
# arguments on a queryset chain, so that dict.update is not).
WRITES = {"save", "create", "bulk_create", "bulk_update", "update_or_create", "get_or_create",
          "delete", "create_user", "create_superuser"}  # fmt: skip
# The only modules outside services that write, and why.
ALLOWED_WRITERS = {
    "accounts/models.py": "the user manager behind Django's create_user and createsuperuser",
    "accounts/moderators.py": "the Moderators group's permissions, set after every migrate",
    "accounts/management/commands/createmoderator.py": (
        "an operator's command that makes an account, as Django's createsuperuser does"
    ),
    "pledges/models/pledges.py": "a pledge takes its agreement's place as it is saved",
    "core/images.py": "image files in storage, not rows",
    "core/hidden_files.py": "files moved between storages, not rows",
    "pledges/seed.py": "the first agreement's text, seeded by a migration",
    "places/seed.py": "the first place and its areas, seeded by a migration",
    "pledges/management/commands/seed_demo.py": "demo and benchmark data, written in bulk",
    "pledges/demo_pictures.py": "the demo's drawn pictures and logos, written in bulk",
    "pledges/demo_places.py": "the demo's second place and its pledges",
    "stories/demo.py": "the demo's residents' stories, written in bulk without emails",
    "moderation/reminders.py": "reminder bookkeeping: one row for each email planned and sent",
    "moderation/digest.py": "digest bookkeeping: one row for each day's email",
    "core/schedule.py": "the scheduler's bookkeeping: one row for each job run",
    "core/single_flight.py": "turns and kept values in the shared cache, not registry rows",
}


def _writes(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        keywords = {keyword.arg for keyword in node.keywords}
        if name == "save" and "commit" in keywords:
            continue  # a form's save(commit=False) builds objects; a service saves them
        queryset_update = (
            name == "update" and keywords and not node.args and isinstance(receiver, ast.Call)
        )
        if name in WRITES or queryset_update:
            found.append(f"{name} (line {node.lineno})")
    return found


def _writing_modules() -> dict[str, list[str]]:
    writers = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/services" in relative:
                continue
            found = _writes(ast.parse(path.read_text()))
            if found:
                writers[relative] = found
    return writers


def test_every_write_outside_a_service_is_a_named_exception():
    unexplained = {
        module: calls
        for module, calls in _writing_modules().items()
        if module not in ALLOWED_WRITERS
    }
    assert not unexplained, f"writes outside a service: {unexplained}"


def test_each_named_exception_still_writes():
    assert set(_writing_modules()) == set(ALLOWED_WRITERS)


def test_the_scan_finds_a_write_in_a_view():
    source = "def view(request):\n    Pledge.objects.filter(pk=1).update(status='x')\n"
    assert _writes(ast.parse(source)) == ["update (line 2)"]
    assert _writes(ast.parse("context.update(a=1)\nform.save(commit=False)\n")) == []


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
    assert {
        "pledge_submit",
        "progress_update_hide",
        "membership_remove",
        "concern_report",
        "paper_signatories_import",
        "retention_apply",
    } <= names
    assert len(names) >= 38
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
