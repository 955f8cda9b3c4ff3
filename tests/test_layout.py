"""The layout shows the subjects: small modules, and no app holding most of the code."""

from tests.project import APPS, ROOT

MAX_MODULE_LINES = 400


def _lines() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_no_module_of_app_code_passes_400_lines():
    long = {module: count for module, count in _lines().items() if count > MAX_MODULE_LINES}
    assert not long, f"split these into packages by subject: {long}"


def test_no_app_holds_more_than_a_third_of_the_app_code():
    lines = _lines()
    total = sum(lines.values())
    for app in APPS:
        share = sum(count for module, count in lines.items() if module.startswith(f"{app}/"))
        assert share <= total / 3, f"{app} holds {share} of {total} lines"
