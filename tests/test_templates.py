"""The shipped templates, and a minutes repository's own in its template folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from minutesbot.config import Config
from minutesbot.templating import TemplateError, environment, load, render

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = ("agenda.md.j2", "backlink.md.j2", "digest.md.j2", "digest-slides.md.j2")


def test_every_package_is_listed_for_the_wheel():
    """Packages are listed in pyproject.toml (templates/ is mapped in): a new one must be too."""
    listed = set(
        tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(PROJECT).parts)
        for p in (PROJECT / "minutesbot").rglob("__init__.py")
    }
    assert found | {"minutesbot.templates"} == listed


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_template_is_found_without_an_override(tmp_path: Path, name: str):
    env = environment(Config(base_dir=tmp_path))
    _source, filename, _uptodate = env.loader.get_source(env, name)
    assert Path(filename or "") == PROJECT / "templates" / name


@pytest.mark.parametrize("name", SHIPPED)
def test_an_override_in_the_template_folder_is_used(tmp_path: Path, name: str):
    config = Config(base_dir=tmp_path, template_dir="my-templates")
    (tmp_path / "my-templates").mkdir()
    (tmp_path / "my-templates" / name).write_text("ours: {{ word | md }}\n")
    assert render(load(environment(config), name, config), config, word="a*b") == "ours: a\\*b\n"


@pytest.mark.parametrize("name", SHIPPED)
def test_a_broken_override_is_one_line_naming_template_and_line(tmp_path: Path, name: str):
    config = Config(base_dir=tmp_path)
    (tmp_path / "templates").mkdir()
    override = tmp_path / "templates" / name
    override.write_text("# title\n\n{% for a in items %}\n- {{ a }\n")
    with pytest.raises(TemplateError) as broken:
        load(environment(config), name, config)
    assert str(broken.value).startswith(f"{override}:4: ") and "\n" not in str(broken.value)
    override.write_text("# title\n\n{{ no_such_name }}\n")
    with pytest.raises(TemplateError) as undefined:
        render(load(environment(config), name, config), config)
    assert str(undefined.value).startswith(f"{override}:3: UndefinedError")
    assert "no_such_name" in str(undefined.value) and "\n" not in str(undefined.value)
