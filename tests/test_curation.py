"""Tests of scripts/curate_data.py: data/sources/ generates exactly the committed metadata."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "curate_data.py"
DATA = REPO / "data"
# The raw snapshot (not in the repository): the script's default place, or COURSE_DATA_RAW.
RAW = Path(os.environ.get("COURSE_DATA_RAW", REPO.parent / "shared" / "data-raw"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def load_script():
    spec = importlib.util.spec_from_file_location("curate_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sources_generate_the_committed_metadata(tmp_path):
    result = run("--metadata-only", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("datapackage.json", "README.md"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"data/{name} differs from its sources"


@pytest.mark.skipif(not (RAW / "SOURCES.md").exists(), reason=f"raw snapshot not present at {RAW}")
def test_full_curation_reproduces_data_folder(tmp_path):
    result = run(str(RAW), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                       if p.is_file() and "sources" not in p.relative_to(DATA).parts)
    assert written == committed
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (DATA / rel).read_bytes(), rel


def broken_sources(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(DATA / "sources", sources)
    path = sources / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return sources


@pytest.mark.parametrize("rel, old, new, problem", [
    ("health/oda_gni.toml", 'name = "oda_gni"', 'name = "oda_gni', "not valid TOML"),
    ("health/oda_gni.toml", 'licence = "one"', 'licence = "on"', "licence 'on' is not in licences.toml"),
    ("climate/energy_mix.toml", 'process = "keep"', 'process = "filter"', "process 'filter' is not one of"),
    ("china/sipri_milex.toml", 'title = "Military', 'titel = "Military', "unknown keys ['titel']"),
    ("health/oda_gni.toml", 'unit = "year", description = "Calendar year (2025', 'description = "Calendar year (2025',
     "field 2 lacks 'unit'"),
    ("china/sipri_milex_share_gdp_raw.toml", 'unit = "fraction of GDP"', 'units = "fraction of GDP"',
     "fields_from.deriver sipri_wide_fields failed: TypeError"),
    ("package.toml", "[[topics]]\nid = ", "[[topics]]\nident = ", "topic 1 lacks 'id'"),
])
def test_malformed_source_gives_one_line_naming_file(tmp_path, rel, old, new, problem):
    sources = broken_sources(tmp_path, rel, old, new)
    result = run("--metadata-only", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(sources / rel) in lines[0] and problem in lines[0]
    assert not (tmp_path / "out").exists()


def test_unlisted_source_file_is_an_error(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(DATA / "sources", sources)
    shutil.copy(sources / "health" / "oda_gni.toml", sources / "health" / "oda_gni_copy.toml")
    result = run("--metadata-only", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "oda_gni_copy.toml: not listed" in result.stderr


def test_sipri_deriver_types_year_columns_and_keeps_notes_as_text():
    curate = load_script()
    fields = curate.sipri_wide_fields(["Country", "Notes", "1949", "2020 Current"], DATA,
                                      unit="fraction of GDP", what="Military expenditure")
    assert [(f["name"], f["type"], f["unit"]) for f in fields] == [
        ("Country", "string", "text"), ("Notes", "string", "text"),
        ("1949", "number", "fraction of GDP"), ("2020 Current", "number", "million USD (current prices)")]


def test_owid_unit_from_column_name():
    curate = load_script()
    assert curate.unit_from_owid_name("Coal (% sub energy)") == "percent"
    assert curate.unit_from_owid_name("Per capita electricity (kWh)") == "kWh per person"
    with pytest.raises(ValueError, match="Entity"):
        curate.unit_from_owid_name("Entity")


def test_missing_raw_file_is_one_line_naming_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "SOURCES.md").write_text("empty snapshot\n", encoding="utf-8")
    result = run(str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {raw / 'alliance' / 'TRUMPWORLD-pres.csv'}: raw file not found "
        f"(named by {DATA / 'sources' / 'alliance' / 'pew_confidence_us_president.toml'})"]
