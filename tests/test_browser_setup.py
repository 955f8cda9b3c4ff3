"""`make test` brings Chromium when it is missing, or fails saying what to do; never a quiet skip."""

import pytest

from tests.browser import chromium


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.delenv("SKIP_BROWSER", raising=False)
    monkeypatch.setattr(chromium.shutil, "which", lambda name: None)
    monkeypatch.setattr(chromium, "_playwright_chromium", lambda: None)
    commands = []
    monkeypatch.setattr(chromium.subprocess, "run", lambda args, **kw: commands.append(args[:3]))
    return commands


def test_as_root_with_apt_it_installs_debians_chromium_then_tries_playwright(
    no_chromium, monkeypatch, capsys
):
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 0)
    monkeypatch.setattr(
        chromium.shutil, "which", lambda name: "/x/apt-get" if name == "apt-get" else None
    )
    assert chromium.ensure() == 1
    assert no_chromium[1] == ["apt-get", "install", "-y"]
    assert no_chromium[2][1:] == ["-m", "playwright"]
    assert "need Chromium" in capsys.readouterr().err


def test_without_root_it_asks_playwright_and_fails_with_an_instruction(
    no_chromium, monkeypatch, capsys
):
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 1000)
    assert chromium.ensure() == 1
    assert [command[1:] for command in no_chromium] == [["-m", "playwright"]]
    assert "SKIP_BROWSER=1" in capsys.readouterr().err


def test_an_installed_chromium_is_used_as_it_is(no_chromium, monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/opt/chromium")
    assert chromium.find() == "/opt/chromium"
    assert chromium.ensure() == 0 and no_chromium == []


def test_skipping_is_explicit_and_loud(no_chromium, monkeypatch, capsys):
    monkeypatch.setenv("SKIP_BROWSER", "1")
    assert chromium.ensure() == 0 and no_chromium == []
    assert "WILL BE SKIPPED" in capsys.readouterr().out
