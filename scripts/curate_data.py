#!/usr/bin/env python
"""Curate the course's data/ folder from the raw-data snapshot, and write its metadata.

Usage (run by a developer; the output is committed):

    .venv/bin/python scripts/curate_data.py [RAW_DIR] [--out DIR]
    .venv/bin/python scripts/curate_data.py --metadata-only [--data DIR] [--out DIR]

The first form reads RAW_DIR (default ``../shared/data-raw`` relative to the repository root; it must
hold ``SOURCES.md``), writes ``<out>/<topic>/<file>.csv`` for every resource, then
``<out>/datapackage.json`` and ``<out>/README.md``. The second form rewrites only the two metadata
files, reading the curated CSVs (default ``data/``) instead of the raw snapshot; use it after editing
``data/sources/``.

What each dataset is (publisher, licence, origin, processing, fields) is data, kept in
``data/sources/``: ``package.toml`` (the package, its topics in order, the README's prose),
``licences.toml`` and one ``<topic>/<resource>.toml`` per dataset. This script only reads them,
runs the processing they name, derives the fields that follow a file's header (``FIELD_DERIVERS``)
and renders the two outputs.

Rules (course standards): real data only; published values are kept exactly as spelled in the
source (files are handled as text, never re-formatted by a number parser). The only processing is
dropping rows, dropping columns, dropping a byte-order mark, and for the transcribed article figures
replacing the verbatim article quote with a short paraphrase written for the course. Every piece of
processing is recorded in the resource's ``description``. Files that students clean as an exercise
(trade files, exchange rates, raw SIPRI sheets) are copied byte for byte; their format is described in
the schema (dialect, groupChar, date format, missingValues) so that ``course.data.load`` can parse them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"


class CurationError(Exception):
    """Bad input (a malformed file in data/sources/, a raw file that does not fit it); the message names
    the file and the problem, and main() prints it as one line."""


# --------------------------------------------------------------------------------------------
# File operations (text only; values keep their published spelling)
# --------------------------------------------------------------------------------------------


def header_of(path: Path, delimiter: str = ",") -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh, delimiter=delimiter))


def read_rows(src: Path) -> list[list[str]]:
    with open(src, encoding="utf-8-sig", newline="") as fh:  # utf-8-sig drops a BOM if present
        return list(csv.reader(fh))


def write_rows(dst: Path, rows: list[list[str]]) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    dst.write_text(buf.getvalue(), encoding="utf-8")


def copy_verbatim(src: Path, dst: Path, spec: dict) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def keep_columns(src: Path, dst: Path, spec: dict) -> None:
    rows = read_rows(src)
    header = rows[0]
    missing = [c for c in spec["keep"] if c not in header]
    if missing:
        raise CurationError(f"{src}: columns not found: {missing} (named by keep in {spec['_file']})")
    idx = [header.index(c) for c in spec["keep"]]
    write_rows(dst, [[r[i] for i in idx] for r in rows])


def write_article_figures(src: Path, dst: Path, spec: dict) -> None:
    """Replace each transcribed figure's article quote by its section and our own short context."""
    context = {c["figure"]: (c["section"], c["context"]) for c in spec["article_context"]}
    with open(src, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = [["figure", "value", "unit", "notebook_topic", "article_section", "context"]]
    for r in rows:
        if r["figure"] not in context:
            raise CurationError(f"{spec['_file']}: no article_context for figure {r['figure']!r}")
        section, text = context[r["figure"]]
        out.append([r["figure"], r["value"], r["unit"], r["notebook_topic"], section, text])
    write_rows(dst, out)


PROCESSES = {"copy": copy_verbatim, "keep": keep_columns, "article": write_article_figures}


# --------------------------------------------------------------------------------------------
# Fields: written out in the source file, or derived from the CSV header by one of these
# --------------------------------------------------------------------------------------------


def field(name, type_, unit, description, **extra) -> dict:
    """One schema field, keys in datapackage.json's order."""
    out = {"name": name, "type": type_, "description": description, "unit": unit}
    out.update(extra)
    return out


def text_field(name, description) -> dict:
    return field(name, "string", "text", description)


def pew_wide_fields(header: list[str], data_dir: Path, question: str) -> list[dict]:
    """FiveThirtyEight's Pew tables: year, avg, then one column per country."""
    fields = [
        field("year", "year", "year", "Survey year."),
        field("avg", "number", "percent of respondents",
              f"FiveThirtyEight's average of the country figures for that year ({question}); not a Pew figure."),
    ]
    for col in header[2:]:
        fields.append(field(col, "integer", "percent of respondents",
                            f"Percent of respondents in {col} {question}. Empty = country not surveyed that year."))
    return fields


def owid_codebook_fields(header: list[str], data_dir: Path, codebook: str, units: dict) -> list[dict]:
    """OWID's CO2 data: each column's description and source come from its codebook."""
    with open(data_dir / codebook, encoding="utf-8", newline="") as fh:
        book = {r["column"]: r for r in csv.DictReader(fh)}
    fields = []
    for col in header:
        desc = book[col]["description"] + f" Source: {book[col]['source']}."
        if col in ("iso_code", "country"):
            fields.append(text_field(col, desc))
        elif col == "year":
            fields.append(field(col, "year", "year", desc))
        else:
            unit = units.get(col)
            if unit is None:
                unit = "t CO2 per person" if col.endswith("per_capita") else "Mt CO2"
            fields.append(field(col, "number", unit, desc))
    return fields


def unit_from_owid_name(col: str) -> str:
    """OWID's BP/Ember column names carry their unit, e.g. 'Coal (% sub energy)'."""
    if "(TWh" in col:
        return "TWh"
    if "(kWh)" in col:
        return "kWh per person"
    if "(% growth)" in col:
        return "percent (year-on-year change)"
    if "%" in col:
        return "percent"
    if "(MtCO2)" in col:
        return "Mt CO2"
    if "(gCO2/kWh)" in col:
        return "g CO2 per kWh"
    raise ValueError(f"no unit known for OWID column {col!r}")


def owid_entity_year_fields(header: list[str], data_dir: Path, what: str) -> list[dict]:
    fields = [text_field("Entity", "Country or region, as spelled by Our World in Data."),
              field("Year", "year", "year", "Calendar year.")]
    for col in header[2:]:
        desc = f"{col} — {what}"
        if "sub energy" in col or "sub method" in col:
            desc += " 'sub' = substitution method (non-fossil electricity counted as the primary energy needed to make it in a thermal plant)."
        if "primary direct energy" in col:
            desc += " 'direct' = direct primary energy method (non-fossil electricity counted as generated)."
        fields.append(field(col, "number", unit_from_owid_name(col), desc))
    return fields


def ghg_by_sector_fields(header: list[str], data_dir: Path) -> list[dict]:
    fields = [text_field("Entity", "Country or region, as spelled by Our World in Data."),
              field("Year", "year", "year", "Calendar year.")]
    for col in header[2:]:
        if col.endswith("(per capita)"):
            fields.append(field(col, "number", "t CO2e per person",
                                f"Greenhouse-gas emissions per person, sector {col[:-len(' (per capita)')]!r}."))
        else:
            fields.append(field(col, "number", "Mt CO2e",
                                f"Greenhouse-gas emissions of sector {col!r}, in million tonnes CO2-equivalent "
                                "(OWID's datapackage states 'tonnes CO2e' with conversionFactor 1 000 000)."))
    return fields


def sipri_wide_fields(header: list[str], data_dir: Path, unit: str, what: str) -> list[dict]:
    """A raw SIPRI sheet: Country, an unnamed column, Notes, then one column per year (70+)."""
    fields = []
    for col in header:
        if col == "Country":
            fields.append(text_field(col, "Country as SIPRI spells it (USA, 'Korea, South', 'Korea, North', 'Viet Nam', ...)."))
        elif col == "Unnamed: 1":
            fields.append(text_field(col, "Unnamed column of the SIPRI sheet (a pandas-generated header); empty except one "
                                          "note 'Base year is 2012'."))
        elif col == "Notes":
            fields.append(text_field(col, "SIPRI footnote markers (e.g. '† 49'); numbers refer to the workbook's footnotes."))
        elif col == "2020 Current":
            fields.append(field(col, "number", "million USD (current prices)",
                                "Military expenditure in 2020 in current US$ m. '. .' = data unavailable."))
        else:
            fields.append(field(col, "number", unit,
                                f"{what} in {col}. Markers: '. .' = data unavailable, 'xxx' = country did not exist "
                                "or was not independent (both loaded as NA)."))
    return fields


FIELD_DERIVERS = {
    "pew_wide": pew_wide_fields,
    "owid_codebook": owid_codebook_fields,
    "owid_entity_year": owid_entity_year_fields,
    "ghg_by_sector": ghg_by_sector_fields,
    "sipri_wide": sipri_wide_fields,
}


# --------------------------------------------------------------------------------------------
# Reading data/sources/
# --------------------------------------------------------------------------------------------

RESOURCE_KEYS = {"name", "title", "path", "licence", "description", "citation", "process", "keep",
                 "missing_values", "dialect", "fields", "fields_from", "sources", "article_context"}
KIND_NAMES = {str: "a string", list: "a list", dict: "a table"}


def load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CurationError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CurationError(f"{path}: not valid TOML: {exc}") from None


def expect(file: Path, where: str, table, /, **kinds) -> None:
    """Raise CurationError unless `table` is a table holding each key with the given type."""
    if not isinstance(table, dict):
        raise CurationError(f"{file}: {where} must be a table")
    for key, kind in kinds.items():
        if key not in table:
            raise CurationError(f"{file}: {where} lacks {key!r}")
        if not isinstance(table[key], kind):
            raise CurationError(f"{file}: {where}: {key!r} must be {KIND_NAMES[kind]}")


def check_package(package: dict, path: Path) -> None:
    expect(path, "the package", package, name=str, title=str, description=str, licence=dict, topics=list,
           readme=dict)
    expect(path, "[licence]", package["licence"], name=str, title=str)
    expect(path, "[readme]", package["readme"], intro=str, no_data_lead=str, no_data=list)
    for i, topic in enumerate(package["topics"], 1):
        expect(path, f"topic {i}", topic, id=str, heading=str, resources=list)


def check_resource(spec: dict, path: Path, licences: dict) -> None:
    """Raise CurationError naming the file and the first problem found."""
    unknown = sorted(set(spec) - RESOURCE_KEYS)
    if unknown:
        raise CurationError(f"{path}: unknown keys {unknown}")
    expect(path, "the resource", spec, name=str, title=str, path=str, licence=str, description=str,
           citation=str, process=str, sources=list)
    if spec["name"] != path.stem:
        raise CurationError(f"{path}: name {spec['name']!r} differs from the file name")
    if spec["licence"] not in licences:
        raise CurationError(f"{path}: licence {spec['licence']!r} is not in licences.toml")
    if spec["process"] not in PROCESSES:
        raise CurationError(f"{path}: process {spec['process']!r} is not one of {sorted(PROCESSES)}")
    if spec["process"] == "keep" and not spec.get("keep"):
        raise CurationError(f"{path}: process 'keep' needs a keep = [...] list of columns")
    if spec["process"] == "article":
        if not spec.get("article_context"):
            raise CurationError(f"{path}: process 'article' needs [[article_context]] tables")
        for i, ctx in enumerate(spec["article_context"], 1):
            expect(path, f"article_context {i}", ctx, figure=str, section=str, context=str)
    if ("fields" in spec) == ("fields_from" in spec):
        raise CurationError(f"{path}: give exactly one of fields = [...] or [fields_from]")
    for i, f in enumerate(spec.get("fields", []), 1):
        expect(path, f"field {i}", f, name=str, type=str, unit=str, description=str)
    if "fields_from" in spec:
        expect(path, "[fields_from]", spec["fields_from"], deriver=str)
        if spec["fields_from"]["deriver"] not in FIELD_DERIVERS:
            raise CurationError(f"{path}: fields_from.deriver must be one of {sorted(FIELD_DERIVERS)}")
    for i, s in enumerate(spec["sources"], 1):
        expect(path, f"source {i}", s, title=str)
        if "repo" in s:
            expect(path, f"source {i}", s, repo=str, file=str, commit=str, blob=str)


def load_sources(sources_dir: Path) -> tuple[dict, list[dict]]:
    """Return (package.toml, resource specs in package order); each spec knows its topic and file."""
    package_path, licences_path = sources_dir / "package.toml", sources_dir / "licences.toml"
    package = load_toml(package_path)
    check_package(package, package_path)
    licences = load_toml(licences_path)
    for key, licence in licences.items():
        expect(licences_path, f"[{key}]", licence, name=str, title=str)
    specs, listed = [], set()
    for topic in package["topics"]:
        for name in topic["resources"]:
            path = sources_dir / topic["id"] / f"{name}.toml"
            spec = load_toml(path)
            check_resource(spec, path, licences)
            spec["_topic"], spec["_file"] = topic["id"], path
            spec["_licence"] = licences[spec["licence"]]
            specs.append(spec)
            listed.add(path)
    for path in sorted(sources_dir.glob("*/*.toml")):
        if path not in listed:
            raise CurationError(f"{path}: not listed in the resources of a topic in {package_path}")
    return package, specs


# --------------------------------------------------------------------------------------------
# Rendering datapackage.json and README.md
# --------------------------------------------------------------------------------------------


def source_entry(src: dict) -> dict:
    """A resource's source as datapackage.json spells it; a GitHub file gets its permanent URL."""
    if "repo" not in src:
        return dict(src)
    extra = {k: v for k, v in src.items() if k not in ("title", "repo", "file", "commit", "blob")}
    return {
        "title": src["title"],
        "path": f"https://github.com/{src['repo']}/blob/{src['commit']}/{quote(src['file'])}",
        "repository": f"https://github.com/{src['repo']}",
        "commit": src["commit"],
        "blob": src["blob"],
        **extra,
    }


def schema_fields(spec: dict, data_dir: Path) -> list[dict]:
    if "fields" in spec:
        return [field(f["name"], f["type"], f["unit"], f["description"],
                      **{k: v for k, v in f.items() if k not in ("name", "type", "unit", "description")})
                for f in spec["fields"]]
    params = {k: v for k, v in spec["fields_from"].items() if k != "deriver"}
    delimiter = spec.get("dialect", {}).get("delimiter", ",")
    csv_path = data_dir / spec["path"]
    if not csv_path.exists():
        raise CurationError(f"{csv_path}: file not found (its header gives the fields of {spec['_file']})")
    deriver = FIELD_DERIVERS[spec["fields_from"]["deriver"]]
    try:
        return deriver(header_of(csv_path, delimiter), data_dir, **params)
    except (TypeError, KeyError, ValueError, OSError) as exc:
        # a wrong or missing [fields_from] parameter, or a column the deriver does not know
        raise CurationError(f"{spec['_file']}: fields_from.deriver {deriver.__name__} failed: "
                            f"{type(exc).__name__}: {exc}") from None


def resource_entry(spec: dict, data_dir: Path) -> dict:
    res = {
        "name": spec["name"],
        "topic": spec["_topic"],
        "title": spec["title"],
        "path": spec["path"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": spec["description"],
        "citation": f"{spec['citation']} Course file data/{spec['path']}.",
        "sources": [source_entry(s) for s in spec["sources"]],
        "licenses": [spec["_licence"]],
        "schema": {"fields": schema_fields(spec, data_dir), "missingValues": spec.get("missing_values", [""])},
    }
    if "dialect" in spec:
        res["dialect"] = spec["dialect"]
    return res


def make_package(package: dict, resources: list[dict]) -> dict:
    seen, sources = set(), []
    for res in resources:
        for s in res["sources"]:
            key = s.get("repository", s.get("path", s["title"]))
            if key not in seen:
                seen.add(key)
                entry = {"title": s["title"]}
                if "path" in s:
                    entry["path"] = key
                sources.append(entry)
    return {
        "profile": "data-package",
        "name": package["name"],
        "title": package["title"],
        "description": package["description"],
        "licenses": [package["licence"]],
        "sources": sources,
        "resources": resources,
    }


def units_summary(fields: list[dict]) -> str:
    by_unit: dict[str, list[str]] = {}
    for f in fields:
        if f["unit"] in ("text", "year", "code", "date", "month"):
            continue
        by_unit.setdefault(f["unit"], []).append(f["name"])
    parts = []
    for unit, cols in by_unit.items():
        shown = ", ".join(f"`{c}`" for c in cols) if len(cols) <= 4 else f"{len(cols)} columns (e.g. `{cols[0]}`)"
        parts.append(f"{unit}: {shown}")
    return "; ".join(parts) if parts else "text only"


def readme_entry(res: dict) -> list[str]:
    lic = res["licenses"][0]
    extra = ""
    if "dialect" in res:
        extra = f" Delimiter `{res['dialect']['delimiter']}`."
    missing = [m for m in res["schema"]["missingValues"] if m]
    if missing:
        extra += f" Missing-value markers: {', '.join(repr(m) for m in missing)}."
    return [
        f"### `{res['name']}` — {res['title']}",
        "",
        f"* File: `data/{res['path']}`.{extra}",
        f"* Publisher: {'; '.join(s['title'] for s in res['sources'])}.",
        "* Origin: " + "; ".join(
            (f"<{s['path']}>" if "path" in s else s["title"])
            + (f" (commit `{s['commit']}`, blob `{s['blob']}`)" if "commit" in s else "")
            for s in res["sources"]),
        f"* Licence: `{lic['name']}` — {lic['title']}.",
        f"* Units: {units_summary(res['schema']['fields'])}.",
        f"* About, caveats and processing: {res['description']}",
        f"* Cite as: {res['citation']}",
        "",
    ]


def make_readme(package: dict, pkg: dict) -> str:
    readme = package["readme"]
    out = readme["intro"].rstrip("\n").split("\n") + [""]
    for topic in package["topics"]:
        out += [f"## {topic['heading']}", ""]
        for res in pkg["resources"]:
            if res["topic"] == topic["id"]:
                out += readme_entry(res)
    out += ["## What there is NO data for", "", readme["no_data_lead"], ""]
    out += [f"* {item}" for item in readme["no_data"]]
    out.append("")
    return "\n".join(out)


def write_metadata(package: dict, resources: list[dict], out: Path) -> None:
    pkg = make_package(package, resources)
    out.mkdir(parents=True, exist_ok=True)
    (out / "datapackage.json").write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out / 'datapackage.json'} ({len(resources)} resources)")
    (out / "README.md").write_text(make_readme(package, pkg), encoding="utf-8")
    print(f"wrote {out / 'README.md'}")


# --------------------------------------------------------------------------------------------


def curate_files(specs: list[dict], raw: Path, out: Path) -> None:
    """Write every resource's CSV from the raw snapshot and check its header against the schema."""
    used = set()
    for spec in specs:
        src, dst = raw / spec["path"], out / spec["path"]
        used.add(spec["path"])
        if not src.exists():
            raise CurationError(f"{src}: raw file not found (named by {spec['_file']})")
        PROCESSES[spec["process"]](src, dst, spec)
        if "fields" in spec:  # derived fields follow the header by construction
            delim = spec.get("dialect", {}).get("delimiter", ",")
            names = [f["name"] for f in spec["fields"]]
            if header_of(dst, delim) != names:
                raise CurationError(f"{spec['_file']}: fields do not match the header of {dst}")
        print(f"wrote {dst.relative_to(out.parent) if out.parent in dst.parents else dst}")
    unused = sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*.csv"))
    unused = [p for p in unused if p not in used]
    if unused:
        print(f"warning: raw files not curated: {unused}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw_dir", nargs="?", default=str(REPO_ROOT / ".." / "shared" / "data-raw"),
                    help="raw data folder (default: ../shared/data-raw relative to the repo root)")
    ap.add_argument("--out", default=str(DATA_DIR), help="output folder (default: <repo>/data)")
    ap.add_argument("--sources", default=str(SOURCES_DIR), help="source descriptions (default: <repo>/data/sources)")
    ap.add_argument("--metadata-only", action="store_true",
                    help="write only datapackage.json and README.md, from the curated CSVs in --data")
    ap.add_argument("--data", default=str(DATA_DIR), help="curated CSVs for --metadata-only (default: <repo>/data)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    try:
        package, specs = load_sources(Path(args.sources))
        if args.metadata_only:
            data_dir = Path(args.data)
        else:
            raw = Path(args.raw_dir).resolve()
            if not (raw / "SOURCES.md").exists():
                raise CurationError(f"{raw}: does not look like the data-raw folder (no SOURCES.md)")
            curate_files(specs, raw, out)
            data_dir = out
        resources = [resource_entry(spec, data_dir) for spec in specs]
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_metadata(package, resources, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
