#!/usr/bin/env python
"""Curate the course's data/ folder from the shared raw data.

Usage (run once by a developer; the output is committed):

    .venv/bin/python scripts/curate_data.py [RAW_DIR]

RAW_DIR defaults to ``../shared/data-raw`` relative to the repository root. The script writes
``data/<topic>/<file>.csv`` and ``data/datapackage.json``.

Rules (course standards): real data only; published values are kept exactly as spelled in the
source (files are handled as text, never re-formatted by a number parser). The only processing is
dropping rows, dropping columns, dropping a byte-order mark, and for the transcribed article figures
replacing the verbatim article quote with a short paraphrase written for the course. Every piece of
processing is recorded in the resource's ``description``.

Files that students clean as an exercise (trade files, exchange rates, raw SIPRI sheets) are copied
byte for byte; their format is described in the schema (dialect, groupChar, date format,
missingValues) so that ``course.data.load`` can still parse them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

# --------------------------------------------------------------------------------------------
# Origins (from data-raw/SOURCES.md)
# --------------------------------------------------------------------------------------------


def gh_source(title: str, repo: str, path: str, commit: str, blob: str, **extra) -> dict:
    src = {
        "title": title,
        "path": f"https://github.com/{repo}/blob/{commit}/{quote(path)}",
        "repository": f"https://github.com/{repo}",
        "commit": commit,
        "blob": blob,
    }
    src.update(extra)
    return src


FTE = ("fivethirtyeight/data", "fcf572c4fba05a42f1f34f415bd5e6dc389efd68")
COVID_REPO = "datasets/covid-19"
ONE = ("ONEcampaign/oda-dashboard", "14a9ba6b2ce265e1c969ea674c9f309c51a7db94")
OWID_DS = ("owid/owid-datasets", "48c9992ae317b35ed327fc36d2af75fe8b3ef7ed")
TRADE = ("mizydorczyk/relationship-between-trade-and-the-exchange-rate", "0826f6ea7ab353ab6d5d458d5fd23f7b7263daa8")
NAGIX = ("nagix/nk-missile-tests", "a0cc65874d36a4a0fdf16b73919d23a3a8f5dac5")
SIPRI_XLSX = (
    "owid/notebooks",
    "10907ed6e367ee8402fb3fffd96865a9d1715f1f",
    "EdouardMathieu/omm_military_expenditure/input/SIPRI-Milex-data-1949-2020_0.xlsx",
    "ee831141edeae8f77544731ca6e90f9313e22ec7",
)

# Licences, quoted from SOURCES.md ("notspecified" = Open Definition id for "licence not specified").
LIC_FTE = {
    "name": "CC-BY-4.0",
    "title": "FiveThirtyEight data README: \"Unless otherwise noted, our data sets are available under the "
    "Creative Commons Attribution 4.0 International License\"; survey figures belong to Pew Research Center",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LIC_TROOPS = {
    "name": "GPL-3.0-or-later",
    "title": "troopdata package DESCRIPTION \"License: GPL (>= 3)\"; LICENSE.md = GNU General Public License",
    "path": "https://www.gnu.org/licenses/gpl-3.0.html",
}
LIC_ARTICLE = {
    "name": "notspecified",
    "title": "Facts transcribed from a copyrighted article (Center for American Progress), used with citation; "
    "the article's text is not reproduced",
}
LIC_PDDL = {
    "name": "ODC-PDDL-1.0",
    "title": "\"This dataset is licensed under the Open Data Commons Public Domain and Dedication License.\" "
    "(datasets/covid-19 README)",
    "path": "https://opendatacommons.org/licenses/pddl/1-0/",
}
LIC_ONE = {
    "name": "notspecified",
    "title": "No licence file in the source repository (ONEcampaign/oda-dashboard); OECD DAC terms apply",
}
LIC_OWID_CO2 = {
    "name": "CC-BY-4.0",
    "title": "owid/co2-data README: \"All visualizations, data, and code produced by Our World in Data are "
    "completely open access under the Creative Commons BY license\"; third-party data remain under the "
    "original authors' terms",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LIC_OWID_DS = {
    "name": "notspecified",
    "title": "No licence file in owid/owid-datasets; OWID's general CC BY statement and the original "
    "publisher's terms apply",
}
LIC_GCP = {
    "name": "notspecified",
    "title": "No licence file in the copying repository (Jesus-AM/dataset); the Global Carbon Project's "
    "terms apply (not verifiable here)",
}
LIC_IDMC = {
    "name": "MIT",
    "title": "gdidata DESCRIPTION \"License: MIT + file LICENSE\" (2024, gdidata authors); IDMC's own terms "
    "of use apply to the figures",
    "path": "https://opensource.org/licenses/MIT",
}
LIC_TRADE = {
    "name": "notspecified",
    "title": "No licence file in the source repository; the original publishers' terms apply "
    "(Ministry of Finance Japan, KOSIS, U.S. Census Bureau, IMF)",
}
LIC_SIPRI = {
    "name": "notspecified",
    "title": "owid/notebooks has no licence file; the workbook is \"© SIPRI 2021\" and SIPRI's terms apply",
}
LIC_EAS = {
    "name": "notspecified",
    "title": "Hand-built teaching table of facts, each row citing a public news report or the CAP article",
}
LIC_NAGIX = {
    "name": "Apache-2.0",
    "title": "nk-missile-tests LICENSE: \"available under the Apache license 2.0\"; the underlying CNS "
    "database belongs to CNS/NTI",
    "path": "https://www.apache.org/licenses/LICENSE-2.0",
}
LIC_FAS = {
    "name": "notspecified",
    "title": "owid/notebooks has no licence file; the Federation of American Scientists' terms apply",
}

# --------------------------------------------------------------------------------------------
# Field helpers
# --------------------------------------------------------------------------------------------


def F(name, type_, unit, description, **extra) -> dict:
    field = {"name": name, "type": type_, "description": description, "unit": unit}
    field.update(extra)
    return field


def S(name, description) -> dict:
    return F(name, "string", "text", description)


def header_of(path: Path, delimiter: str = ",") -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh, delimiter=delimiter))


# --------------------------------------------------------------------------------------------
# File operations (text only; values keep their published spelling)
# --------------------------------------------------------------------------------------------


def copy_verbatim(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def read_rows(src: Path) -> list[list[str]]:
    with open(src, encoding="utf-8-sig", newline="") as fh:  # utf-8-sig drops a BOM if present
        return list(csv.reader(fh))


def write_rows(dst: Path, rows: list[list[str]]) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    dst.write_text(buf.getvalue(), encoding="utf-8")


def keep_columns(src: Path, dst: Path, keep: list[str]) -> None:
    rows = read_rows(src)
    header = rows[0]
    missing = [c for c in keep if c not in header]
    if missing:
        raise SystemExit(f"{src}: columns not found: {missing}")
    idx = [header.index(c) for c in keep]
    write_rows(dst, [[r[i] for i in idx] for r in rows])


# --------------------------------------------------------------------------------------------
# The transcribed article figures: quote replaced by our own short context
# --------------------------------------------------------------------------------------------

# (figure as transcribed) -> (article section, context written for the course in our own words)
ARTICLE_SECTIONS = {
    "Japanese public with confidence in President Trump": (
        "Introduction",
        "Japanese confidence in Trump at the time of writing (a later Pew survey than the 2017 file)",
    ),
    "Japanese public with confidence in President Obama (final year in office)": (
        "Introduction",
        "Japanese confidence in Obama during his last year as president",
    ),
    "Increase Trump reportedly demanded for hosting US forces in Japan": (
        "Introduction",
        "Trump's reported demand for more host-nation support from Japan",
    ),
    "Demanded increase relative to current host-nation amount": (
        "Introduction",
        "Size of that demand compared with what Japan already paid (the article says more than this multiple)",
    ),
    "Global COVID-19 cases at time of writing (exceeds)": (
        "Global health and pandemic preparedness and response",
        "Worldwide COVID-19 case count passed when the article was written",
    ),
    "People displaced by weather-related disasters in Southeast Asia, 2008-2018 (IDMC)": (
        "Climate change",
        "IDMC count of people displaced by weather disasters in Southeast Asia over 2008-2018",
    ),
    "People worldwide on land projected below average annual coastal flood level by 2050": (
        "Climate change",
        "Global population living on land expected to fall below yearly coastal flood levels by 2050",
    ),
    "Of those, in top six nations (China, Bangladesh, India, Vietnam, Indonesia, Thailand)": (
        "Climate change",
        "Part of that exposed population living in six Asian countries",
    ),
    "Share of the 300 million in the top six nations": (
        "Climate change",
        "Those six countries' approximate share of the global exposed population",
    ),
    "Net-zero greenhouse gas emissions target year (US under Biden; Japan under Suga)": (
        "Climate change",
        "Target year for net-zero emissions pledged by the incoming U.S. and Japanese leaders",
    ),
    "IPCC temperature-rise limit referenced": (
        "Climate change",
        "Warming limit the article cites from the IPCC",
    ),
    "Trump failed to attend the East Asia Summit for the Nth time in 2020": (
        "Strengthening multilateral institutions in Asia",
        "How many East Asia Summits Trump had missed by 2020, as the article counts them",
    ),
    "ASEAN countries whose leaders attended the 2019 U.S.-ASEAN summit (Vietnam, Laos, Thailand)": (
        "Strengthening multilateral institutions in Asia",
        "Number of ASEAN leaders who came to the 2019 meeting with the United States",
    ),
    "ASEAN respondents viewing Japan as a reliable partner": (
        "Strengthening multilateral institutions in Asia",
        "Share of Southeast Asian survey respondents who see Japan as dependable",
    ),
    "US favorability rating in Indonesia": (
        "Strengthening multilateral institutions in Asia",
        "How favourably Indonesians viewed the United States in a recent poll",
    ),
}


def write_article_figures(src: Path, dst: Path) -> None:
    with open(src, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = [["figure", "value", "unit", "notebook_topic", "article_section", "context"]]
    for r in rows:
        section, context = ARTICLE_SECTIONS[r["figure"]]
        out.append([r["figure"], r["value"], r["unit"], r["notebook_topic"], section, context])
    write_rows(dst, out)


# --------------------------------------------------------------------------------------------
# Resource definitions
# --------------------------------------------------------------------------------------------

PEW_COUNTRY_NOTE = "Empty = country not surveyed that year."


def pew_wide_fields(path: Path, question: str) -> list[dict]:
    fields = [
        F("year", "year", "year", "Survey year."),
        F("avg", "number", "percent of respondents",
          f"FiveThirtyEight's average of the country figures for that year ({question}); not a Pew figure."),
    ]
    for col in header_of(path)[2:]:
        fields.append(F(col, "integer", "percent of respondents",
                        f"Percent of respondents in {col} {question}. {PEW_COUNTRY_NOTE}"))
    return fields


TROOP_DESCRIPTIONS = {
    "troops_ad": "Active-duty U.S. military personnel in the host country (all services).",
    "army_ad": "Active-duty U.S. Army personnel.",
    "navy_ad": "Active-duty U.S. Navy personnel.",
    "air_force_ad": "Active-duty U.S. Air Force personnel.",
    "marine_corps_ad": "Active-duty U.S. Marine Corps personnel.",
    "coast_guard_ad": "Active-duty U.S. Coast Guard personnel.",
    "space_force_ad": "Active-duty U.S. Space Force personnel.",
    "army_national_guard": "Army National Guard personnel.",
    "air_national_guard": "Air National Guard personnel.",
    "army_reserve": "Army Reserve personnel.",
    "navy_reserve": "Navy Reserve personnel.",
    "marine_corps_reserve": "Marine Corps Reserve personnel.",
    "air_force_reserve": "Air Force Reserve personnel.",
    "coast_guard_reserve": "Coast Guard Reserve personnel.",
    "total_selected_reserve": "Total Selected Reserve personnel (guard and reserve).",
    "army_civilian": "Department of the Army civilian employees.",
    "navy_civilian": "Department of the Navy civilian employees.",
    "marine_corps_civilian": "Marine Corps civilian employees.",
    "air_force_civilian": "Department of the Air Force civilian employees.",
    "dod_civilian": "Other Department of Defense civilian employees.",
    "total_civilian": "Total DoD civilian employees.",
}


def troops_fields() -> list[dict]:
    fields = [
        S("countryname", "Host country, as spelled by the troopdata package."),
        F("year", "year", "year", "Year of the DMDC report."),
        F("ccode", "integer", "code", "Correlates of War country code."),
        S("iso3c", "ISO 3166-1 alpha-3 code."),
        S("region", "World Bank region."),
    ]
    for name, desc in TROOP_DESCRIPTIONS.items():
        fields.append(F(name, "integer", "people", desc))
    return fields


def owid_co2_fields(data_path: Path, codebook_path: Path) -> list[dict]:
    with open(codebook_path, encoding="utf-8", newline="") as fh:
        book = {r["column"]: r for r in csv.DictReader(fh)}
    units = {
        "iso_code": "code", "country": "text", "year": "year",
        "co2_growth_prct": "percent", "trade_co2_share": "percent",
        "co2_per_capita": "t CO2 per person", "consumption_co2_per_capita": "t CO2 per person",
        "share_global_co2": "percent of world", "share_global_cumulative_co2": "percent of world",
        "co2_per_gdp": "kg CO2 per international-$ (PPP)", "consumption_co2_per_gdp": "kg CO2 per international-$ (PPP)",
        "co2_per_unit_energy": "kg CO2 per kWh",
        "total_ghg": "Mt CO2e", "methane": "Mt CO2e", "nitrous_oxide": "Mt CO2e",
        "ghg_per_capita": "t CO2e per person", "methane_per_capita": "t CO2e per person",
        "nitrous_oxide_per_capita": "t CO2e per person",
        "primary_energy_consumption": "TWh", "energy_per_capita": "kWh per person",
        "energy_per_gdp": "kWh per international-$ (PPP)", "population": "people",
        "gdp": "international-$ (PPP, constant prices; Maddison Project)",
    }
    fields = []
    for col in header_of(data_path):
        desc = book[col]["description"] + f" Source: {book[col]['source']}."
        if col in ("iso_code", "country"):
            fields.append(S(col, desc))
        elif col == "year":
            fields.append(F(col, "year", "year", desc))
        else:
            unit = units.get(col)
            if unit is None:
                unit = "t CO2 per person" if col.endswith("per_capita") else "Mt CO2"
            fields.append(F(col, "number", unit, desc))
    return fields


def unit_from_owid_name(col: str) -> str:
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
    raise ValueError(col)


ENERGY_KEEP = [
    "Entity", "Year",
    "Primary energy (TWh)", "Fossil Fuels (TWh)", "Low-carbon energy (TWh)",
    "Coal (% sub energy)", "Oil (% sub energy)", "Gas (% sub energy)", "Nuclear (% sub energy)",
    "Hydro (% sub energy)", "Solar (% sub energy)", "Wind (% sub energy)", "Renewables (% sub energy)",
    "Fossil Fuels (% sub energy)", "Low-carbon energy (% sub energy)",
    "Coal (% primary direct energy)",
    "Coal per capita (kWh)", "Fossil Fuels per capita (kWh)", "Renewables per capita (kWh)",
    "Low-carbon energy per capita (kWh)",
]

ELECTRICITY_KEEP = [
    "Entity", "Year",
    "Electricity generation (TWh)", "Electricity demand (TWh)",
    "Electricity from coal (TWh)", "Electricity from gas (TWh)", "Electricity from oil (TWh)",
    "Electricity from nuclear (TWh)", "Electricity from renewables (TWh)",
    "Electricity from fossil fuels (TWh)",
    "Coal (% electricity)", "Gas (% electricity)", "Oil (% electricity)", "Nuclear (% electricity)",
    "Renewables (% electricity)", "Fossil fuels (% electricity)", "Low-carbon electricity (% electricity)",
    "Per capita electricity (kWh)", "Carbon intensity of electricity (gCO2/kWh)", "Emissions (MtCO2)",
]


def owid_entity_year_fields(cols: list[str], what: str) -> list[dict]:
    fields = [S("Entity", "Country or region, as spelled by Our World in Data."),
              F("Year", "year", "year", "Calendar year.")]
    for col in cols[2:]:
        desc = f"{col} — {what}"
        if "sub energy" in col or "sub method" in col:
            desc += " 'sub' = substitution method (non-fossil electricity counted as the primary energy needed to make it in a thermal plant)."
        if "primary direct energy" in col:
            desc += " 'direct' = direct primary energy method (non-fossil electricity counted as generated)."
        fields.append(F(col, "number", unit_from_owid_name(col), desc))
    return fields


def ghg_fields(path: Path) -> list[dict]:
    fields = [S("Entity", "Country or region, as spelled by Our World in Data."),
              F("Year", "year", "year", "Calendar year.")]
    for col in header_of(path)[2:]:
        if col.endswith("(per capita)"):
            fields.append(F(col, "number", "t CO2e per person",
                            f"Greenhouse-gas emissions per person, sector {col[:-len(' (per capita)')]!r}."))
        else:
            fields.append(F(col, "number", "Mt CO2e",
                            f"Greenhouse-gas emissions of sector {col!r}, in million tonnes CO2-equivalent "
                            "(OWID's datapackage states 'tonnes CO2e' with conversionFactor 1 000 000)."))
    return fields


def sipri_raw_fields(path: Path, unit: str, what: str) -> list[dict]:
    fields = []
    for col in header_of(path):
        if col == "Country":
            fields.append(S(col, "Country as SIPRI spells it (USA, 'Korea, South', 'Korea, North', 'Viet Nam', ...)."))
        elif col == "Unnamed: 1":
            fields.append(S(col, "Unnamed column of the SIPRI sheet (a pandas-generated header); empty except one "
                                 "note 'Base year is 2012'."))
        elif col == "Notes":
            fields.append(S(col, "SIPRI footnote markers (e.g. '† 49'); numbers refer to the workbook's footnotes."))
        elif col == "2020 Current":
            fields.append(F(col, "number", "million USD (current prices)",
                            "Military expenditure in 2020 in current US$ m. '. .' = data unavailable."))
        else:
            fields.append(F(col, "number", unit,
                            f"{what} in {col}. Markers: '. .' = data unavailable, 'xxx' = country did not exist "
                            "or was not independent (both loaded as NA)."))
    return fields


def build_resources(raw: Path) -> list[dict]:
    """Return resource descriptors; each has a private '_make' (how to write the file)."""
    R: list[dict] = []

    def add(topic, name, title, src_rel, dst_rel, description, sources, licenses, citation, fields,
            make="copy", missing=None, dialect=None, keep=None):
        res = {
            "name": name,
            "topic": topic,
            "title": title,
            "path": dst_rel,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": description,
            "citation": f"{citation} Course file data/{dst_rel}.",
            "sources": sources,
            "licenses": licenses,
            "schema": {"fields": fields, "missingValues": missing or [""]},
        }
        if dialect:
            res["dialect"] = dialect
        res["_make"] = (make, raw / src_rel, keep)
        R.append(res)

    VERBATIM_RAW = "Processing: none — copied byte for byte from the course's raw-data snapshot"

    # ---------------- alliance ----------------
    p = raw / "alliance/TRUMPWORLD-pres.csv"
    add("alliance", "pew_confidence_us_president",
        "Confidence in the U.S. president by country, 2001-2017 (Pew)",
        "alliance/TRUMPWORLD-pres.csv", "alliance/TRUMPWORLD-pres.csv",
        "Percent of respondents in each surveyed country with confidence in the U.S. president to do the right "
        "thing in world affairs (Bush 2001-2008, Obama 2009-2016, Trump 2017); one column per country, one row "
        "per survey year (15 rows: 2001, 2003, 2005-2017). Japan: 78 in 2016, 24 in 2017 (the article's 25% comes "
        "from a later survey not in this file). `avg` is FiveThirtyEight's average over the countries surveyed "
        "that year. Empty cells = country not surveyed. Compiled by FiveThirtyEight for 'What The World Thinks "
        f"Of Trump'. {VERBATIM_RAW} (source file verbatim).",
        [gh_source("Pew Research Center Global Attitudes surveys, compiled by FiveThirtyEight", FTE[0],
                   "trump-world-trust/TRUMPWORLD-pres.csv", FTE[1], "723fc43a4d6ae670b6366ef111a7c7edabb5ec91")],
        [LIC_FTE],
        "Source: Pew Research Center Global Attitudes surveys, via FiveThirtyEight (CC BY 4.0).",
        pew_wide_fields(p, "with confidence in the U.S. president to do the right thing in world affairs"))

    add("alliance", "pew_trade_withdrawal_approval",
        "Approval of withdrawing U.S. support for major trade agreements, 2017 (Pew)",
        "alliance/TRUMPWORLD-issue-4.csv", "alliance/TRUMPWORLD-issue-4.csv",
        "Pew 2017: share of respondents in 37 countries approving or disapproving of the policy 'Withdraw U.S. "
        "support for major trade agreements' (relevant to the TPP withdrawal). One survey year; net_approval = "
        f"Approve - Disapprove (computed by FiveThirtyEight). {VERBATIM_RAW} (source file verbatim).",
        [gh_source("Pew Research Center Global Attitudes survey 2017, compiled by FiveThirtyEight", FTE[0],
                   "trump-world-trust/TRUMPWORLD-issue-4.csv", FTE[1], "321dcffc717b7f5b3b6f060b91197c53bb3f937e")],
        [LIC_FTE],
        "Source: Pew Research Center Global Attitudes survey 2017, via FiveThirtyEight (CC BY 4.0).",
        [S("country", "Country surveyed."),
         F("net_approval", "integer", "percentage points", "Approve minus Disapprove."),
         F("Approve", "integer", "percent of respondents", "Respondents approving of the policy."),
         F("Disapprove", "integer", "percent of respondents", "Respondents disapproving of the policy."),
         F("DK/Refused", "integer", "percent of respondents", "Don't know or refused to answer.")])

    add("alliance", "us_troops_by_host_country",
        "U.S. military personnel by host country, 1950-2024 (DMDC via troopdata)",
        "alliance/us_troops_by_host_country.csv", "alliance/us_troops_by_host_country.csv",
        "Active-duty, guard/reserve and civilian U.S. Department of Defense personnel stationed in each host "
        "country per year, 1950-2024, from Defense Manpower Data Center reports compiled by Tim Kane (1950-2005) "
        "and Allen, Flynn & Martinez Machain (2022), 'Global U.S. military deployment data: 1950-2020', Conflict "
        "Management and Peace Science 39(3) (troopdata R package). Hosts kept: Japan, South Korea, Germany, Italy, "
        "United Kingdom, Philippines, Australia, Guam, Thailand, Singapore, Indonesia, Vietnam, Malaysia, Brunei, "
        "Cambodia, Laos, Myanmar, 'Myanmar (Burma)' (both Myanmar spellings occur). Caveat: the guard/reserve and "
        "civilian columns are 0 in every year before 2008 (not reported in the older series — not real zeros); "
        "in a few years (e.g. 1951-1952, 2003-2004) some hosts have a total but 0 in every service column. "
        "Processing: rows dropped (only the host countries listed above; all years kept); columns unchanged.",
        [gh_source("U.S. Department of Defense, Defense Manpower Data Center; compiled by Allen, Flynn & "
                   "Martinez Machain (troopdata)", "meflynn/troopdata",
                   "data-raw/troopdata-rebuild-country-year.csv", "3946bcf89a6d72de8abace812dc557f1f249f5f7",
                   "ed1999c8b50bd809a9a59554a10a269422b04a6a")],
        [LIC_TROOPS],
        "Source: U.S. DoD Defense Manpower Data Center, compiled by Allen, Flynn & Martinez Machain (2022), "
        "troopdata R package (GPL >= 3).",
        troops_fields())

    add("alliance", "article_figures",
        "Figures quoted in the CAP article (transcribed, with our own context)",
        "alliance/cap_article_figures_transcribed.csv", "alliance/cap_article_figures_transcribed.csv",
        "The numbers the article itself states (e.g. the $8 billion host-nation demand, 'more than four times', "
        "54.4 million displaced, 300 M / 237 M coastal-flood exposure, 84% and 42% poll figures), transcribed "
        "from Fuchs & Lee, '5 Priorities for the U.S.-Japan Alliance in 2021', Center for American Progress, "
        "November 2020. These are the article's claims, not independent data: use them as reference values to "
        "compare with the real datasets. 15 rows. Processing: the column `exact_quote_from_article` (the "
        "article's sentences) was dropped so that the course does not reproduce the article's text; a `context` "
        "column written for the course in its own words replaces it; an `article_section` column (the article "
        "heading the figure appears under; 'Introduction' = the untitled opening) was added by locating each "
        "quote in the article; the `source` column (the same citation of the article on every row) was dropped "
        "because the citation is kept in this resource's metadata. Values, units and figure labels unchanged.",
        [{"title": "Center for American Progress (Michael Fuchs and Haneul Lee), '5 Priorities for the "
                   "U.S.-Japan Alliance in 2021', November 2020",
          "note": "transcribed from the article text (course snapshot); no URL recorded in the raw data"}],
        [LIC_ARTICLE],
        "Source: Fuchs & Lee, '5 Priorities for the U.S.-Japan Alliance in 2021', Center for American Progress, "
        "Nov 2020 (figures transcribed for the course).",
        [S("figure", "What the number measures (label written by the transcriber)."),
         F("value", "number", "see `unit`", "The number as stated in the article."),
         S("unit", "Unit of `value` as worded in the article (e.g. 'billion US dollars', 'percent (almost)')."),
         S("notebook_topic", "Course topic that uses the figure (alliance, health, climate, institutions)."),
         S("article_section", "Article heading the figure appears under ('Introduction' = opening, untitled)."),
         S("context", "Short context written for the course in its own words (not a quotation).")],
        make="article")

    # ---------------- health ----------------
    covid_src = "Johns Hopkins University CSSE COVID-19 data, normalised by DataHub (datasets/covid-19)"
    add("health", "covid_by_country",
        "COVID-19 cumulative cases, recoveries and deaths by country, to 2021-10-10 (JHU CSSE)",
        "health/covid_countries_aggregated_2021-10-10.csv", "health/covid_countries_aggregated_2021-10-10.csv",
        "Cumulative confirmed cases, recoveries and deaths per country per day, 2020-01-22 to 2021-10-10 "
        "(10 676 rows, 17 countries, JHU spellings: US, Japan, China, 'Korea, South', India, Bangladesh, Brunei, "
        "Cambodia, Indonesia, Laos, Malaysia, Burma, Philippines, Singapore, Thailand, Vietnam, 'Taiwan*'). "
        "North Korea is not in the JHU data. Caveats: the series stops on 2021-10-10 (the newest versions of the "
        "source file were too large for the snapshot); JHU stopped reporting recoveries in early August 2021, so "
        "`Recovered` is 0 from then on (not a real zero); cumulative Confirmed decreases from one day to "
        "the next 9 times (revisions), so daily differences can be negative. Processing: rows dropped (only the countries listed; all dates kept); columns unchanged.",
        [gh_source(covid_src, COVID_REPO, "data/countries-aggregated.csv",
                   "b17ba41762349a2e9325033ca15bb962dafd42fd", "9012b273d8ce9d8805ab590ada7f8aafe7aea676")],
        [LIC_PDDL],
        "Source: Johns Hopkins University CSSE COVID-19 data, via DataHub datasets/covid-19 (ODC-PDDL).",
        [F("Date", "date", "date", "Reporting day (YYYY-MM-DD).", format="%Y-%m-%d"),
         S("Country", "Country, JHU spelling."),
         F("Confirmed", "integer", "people (cumulative)", "Cumulative confirmed cases."),
         F("Recovered", "integer", "people (cumulative)", "Cumulative recoveries; 0 after early Aug 2021 = no longer reported."),
         F("Deaths", "integer", "people (cumulative)", "Cumulative deaths.")])

    add("health", "covid_worldwide",
        "COVID-19 worldwide cumulative cases and deaths, 2020-01-22 to 2022-04-16 (JHU CSSE)",
        "health/covid_worldwide_aggregate.csv", "health/covid_worldwide_aggregate.csv",
        "Global cumulative confirmed cases, recoveries and deaths per day, 816 rows, 2020-01-22 to 2022-04-16, and "
        "`Increase rate` = daily percent increase in confirmed cases computed by DataHub (empty on the first day). "
        "Global confirmed cases pass 50 million on 2020-11-07, matching the article. Caveat: `Recovered` is 0 from "
        f"2021-08-05 (no longer reported). {VERBATIM_RAW} (source file verbatim).",
        [gh_source(covid_src, COVID_REPO, "data/worldwide-aggregate.csv",
                   "daefa2fe355b1900e0f3b2e206512d54432cab92", "0e3e46412f1b3fbb3d69db062876f66d38f7670a")],
        [LIC_PDDL],
        "Source: Johns Hopkins University CSSE COVID-19 data, via DataHub datasets/covid-19 (ODC-PDDL).",
        [F("Date", "date", "date", "Reporting day (YYYY-MM-DD).", format="%Y-%m-%d"),
         F("Confirmed", "integer", "people (cumulative)", "Global cumulative confirmed cases."),
         F("Recovered", "integer", "people (cumulative)", "Global cumulative recoveries; 0 from 2021-08-05 = no longer reported."),
         F("Deaths", "integer", "people (cumulative)", "Global cumulative deaths."),
         F("Increase rate", "number", "percent", "Daily increase in confirmed cases, percent (computed by DataHub).")])

    one_src = "OECD Development Assistance Committee (DAC1), processed by the ONE Campaign"
    one_cite = "Source: OECD DAC statistics, processed by the ONE Campaign (oda-dashboard; no licence file, OECD terms apply)."
    add("health", "oda_gni",
        "Official development assistance and ODA/GNI by DAC donor, 2000-2025 (OECD via ONE)",
        "health/one_oda_gni_ts.csv", "health/one_oda_gni_ts.csv",
        "Total official development assistance (ODA) per DAC member, the 'DAC countries' total and 'EU "
        "Institutions', 2000-2025 (891 rows), and ODA as a percent of gross national income. ODA is in USD "
        "millions at constant prices (the generating script at this commit uses base year 2025 and requests the "
        "net_disbursement and grant_equivalent measures — ODA is reported as grant equivalent from 2018 on). "
        "2025 figures are preliminary. ODA/GNI is empty for EU Institutions. Column names keep the dashboard's "
        f"chart labels ('left-axis', 'right-axis'). {VERBATIM_RAW} (source file verbatim).",
        [gh_source(one_src, ONE[0], "topic_page/oda_gni_ts.csv", ONE[1], "c116f0ede891987fa403c9cc6f28220466b7c83c")],
        [LIC_ONE], one_cite,
        [S("name", "DAC member, 'DAC countries' (total) or 'EU Institutions'."),
         F("year", "year", "year", "Calendar year (2025 preliminary)."),
         F("ODA (left-axis)", "number", "million USD (constant prices, base year 2025)", "Total ODA."),
         F("ODA/GNI (right-axis)", "number", "percent of GNI", "ODA as a percent of the donor's gross national income.")])

    add("health", "oda_covid",
        "ODA by donor split into COVID-19, in-donor refugee costs, Ukraine and other, 2015-2025 (OECD via ONE)",
        "health/one_oda_covid.csv", "health/one_oda_covid.csv",
        "Per DAC donor and year, 2015-2025 (374 rows, DAC total plus each member): ODA spent on COVID-19, "
        "in-donor refugee costs (IDRC), ODA to Ukraine, other ODA and total ODA, in USD millions at constant "
        "prices (as for oda_gni). `ODA to Ukraine` and `Other ODA` are empty for 2025. `Preliminary` holds a "
        "number only on 2025 rows; its exact meaning is not documented in the source — treat with care. "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source(one_src, ONE[0], "topic_page/oda_covid.csv", ONE[1], "d9a97c1c56d0e199be6bd1b3760ab7d891eb30d1")],
        [LIC_ONE], one_cite,
        [F("Year", "year", "year", "Calendar year."),
         S("Donor", "DAC member or 'DAC countries' (total)."),
         F("COVID ODA", "number", "million USD (constant prices)", "ODA for COVID-19."),
         F("IDRC", "number", "million USD (constant prices)", "In-donor refugee costs counted as ODA."),
         F("ODA to Ukraine", "number", "million USD (constant prices)", "ODA to Ukraine."),
         F("Other ODA", "number", "million USD (constant prices)", "All other ODA."),
         F("Total ODA", "number", "million USD (constant prices)", "Total ODA."),
         F("Preliminary", "number", "million USD (constant prices) — meaning undocumented",
           "Filled only for 2025 rows; not documented in the source.")])

    add("health", "health_oda",
        "Health ODA by donor with and without COVID-19, 2018-2024 (ONE)",
        "health/one_bi_plus_multi_health_spending_covid_non_covid.csv",
        "health/one_bi_plus_multi_health_spending_covid_non_covid.csv",
        "Health official development assistance per DAC donor and year, 2018-2024 (217 rows, 31 donors), with "
        "and without COVID-19 spending, in USD millions. Caveat: how the file was produced is not documented in "
        "the source repository (it is an input to the dashboard's covid.py); the name suggests bilateral plus "
        "multilateral (imputed) health ODA; the price basis is not stated. "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source(one_src, ONE[0], "topic_page/bi_plus_multi_health_spending_covid_non_covid.csv", ONE[1],
                   "5d205bbce5a110c9888a514fdd92b4367b65119f")],
        [LIC_ONE], one_cite,
        [F("year", "year", "year", "Calendar year."),
         S("donor_name", "DAC donor."),
         F("Health ODA (including COVID-19)", "number", "million USD", "Health ODA including COVID-19 spending."),
         F("Health ODA", "number", "million USD", "Health ODA excluding COVID-19 spending.")])

    # ---------------- climate ----------------
    co2 = raw / "climate/owid_co2_data_2020-12.csv"
    book = raw / "climate/owid_co2_codebook_2020-12.csv"
    owid_co2_src = gh_source("Our World in Data (Global Carbon Project, CAIT/Climate Watch, BP, Maddison, UN)",
                             "owid/co2-data", "owid-co2-data.csv", "2a6c4a26fafc29000d1ee0deebf083d60b563c78",
                             "ab312e6202668ec21fcf3cdefd042f7b9585360a")
    add("climate", "owid_co2",
        "CO2 and greenhouse-gas emissions, energy, population and GDP by country, 1990-2018 (OWID, Dec 2020)",
        "climate/owid_co2_data_2020-12.csv", "climate/owid_co2_data_2020-12.csv",
        "Our World in Data's CO2 and greenhouse-gas dataset as it stood on 2020-12-09 (when the article was "
        "written): 38 columns — CO2 (production and consumption based), per capita, shares of the world, "
        "cumulative, by fuel, total GHG, methane, N2O, primary energy, population and GDP — for the course "
        "countries and World (iso_code OWID_WRL), 1990-2018 (551 rows). Every column is described in "
        "owid_co2_codebook. Caveats: CO2 ends in 2018 and the GHG columns end earlier (empty cells); newer "
        "versions of the file were too large for the snapshot. Processing: rows dropped (course countries + World, "
        "years 1990 onward); columns unchanged.",
        [owid_co2_src], [LIC_OWID_CO2],
        "Source: Our World in Data CO2 and GHG emissions dataset (Dec 2020; Global Carbon Project, CAIT and others), CC BY 4.0.",
        owid_co2_fields(co2, book))

    add("climate", "owid_co2_codebook",
        "Codebook of the OWID CO2 dataset (Dec 2020)",
        "climate/owid_co2_codebook_2020-12.csv", "climate/owid_co2_codebook_2020-12.csv",
        "One row per column of owid_co2 (38 rows): its description (with units) and original source. "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source("Our World in Data", "owid/co2-data", "owid-co2-codebook.csv",
                   "2a6c4a26fafc29000d1ee0deebf083d60b563c78", "68693814b605d7a6fdfd3053eb5835ca0949df9d")],
        [LIC_OWID_CO2],
        "Source: Our World in Data CO2 dataset codebook (Dec 2020), CC BY 4.0.",
        [S("column", "Column name in owid_co2."), S("description", "What the column measures, with units."),
         S("source", "Original data source of the column.")])

    gcp_cols = {"Total": "Total fossil CO2 emissions (coal, oil, gas, cement, flaring, other).",
                "Coal": "Fossil CO2 from coal.", "Oil": "Fossil CO2 from oil.", "Gas": "Fossil CO2 from gas.",
                "Cement": "CO2 from cement production (empty where not reported).",
                "Flaring": "CO2 from gas flaring.", "Other": "Other fossil CO2 (empty where not reported)."}
    add("climate", "gcp_fossil_co2",
        "Fossil CO2 emissions by country and fuel, 1990-2021 (Global Carbon Project GCB2022v27)",
        "climate/gcp_fossil_co2_2022v27.csv", "climate/gcp_fossil_co2_2022v27.csv",
        "Global Carbon Project 'fossil CO2 emissions by country' flat file, release GCB2022 v27 (Andrew & Peters "
        "2022), for the course countries as GCP spells them (USA, Viet Nam, Brunei Darussalam, Global, ...), "
        "1990-2021 (608 rows): total and by fuel in million tonnes CO2, and per capita in tonnes. Obtained from a "
        "third-party copy (Jesus-AM/dataset), checked against a second independent copy (AndrejHorvat1/"
        "Emissions-by-country): same rows, values agree to within 5e-6. Caveat: licence not verifiable here. "
        "Processing: rows dropped (course countries + Global, years 1990 onward); the UTF-8 byte-order mark at the "
        "start of the source was dropped; columns and values unchanged.",
        [gh_source("Global Carbon Project (copy in Jesus-AM/dataset)", "Jesus-AM/dataset",
                   "GCB2022v27_MtCO2_flat.csv", "337d08790d920f5655a4caddce8000e4a1d03b54",
                   "9d1d2cd4ba8876bd36f8703b5356e1ccfd541975")],
        [LIC_GCP],
        "Source: Global Carbon Project, fossil CO2 emissions by country, GCB2022v27 (Andrew & Peters 2022).",
        [S("Country", "Country as spelled by GCP ('Global' = world total)."),
         S("ISO 3166-1 alpha-3", "ISO 3166-1 alpha-3 code (WLD for Global)."),
         F("Year", "year", "year", "Calendar year.")]
        + [F(c, "number", "Mt CO2", d) for c, d in gcp_cols.items()]
        + [F("Per Capita", "number", "t CO2 per person", "Fossil CO2 per person.")])

    energy = raw / "climate/owid_energy_mix_bp_2021.csv"
    add("climate", "energy_mix",
        "Primary energy mix by source, 1990-2020 (BP Statistical Review via OWID)",
        "climate/owid_energy_mix_bp_2021.csv", "climate/owid_energy_mix_bp_2021.csv",
        "Primary energy consumption and its mix by source (coal, oil, gas, nuclear, hydro, solar, wind, "
        "renewables) from the BP Statistical Review of World Energy, prepared by Our World in Data (retrieved 31 "
        "March 2022), 1990-2020 (465 rows), for the course countries BP reports plus 'Asia Pacific' and World "
        "(BP does not report every ASEAN country separately). Shares are given by the substitution method "
        "('% sub energy', OWID's default) and, for coal, also by the direct method. Processing: rows dropped "
        "(course countries + World + Asia Pacific, years 1990 onward); columns dropped: 54 of the 74 source "
        "columns (TWh by individual source under the substitution method, year-on-year growth columns, the "
        "direct-method shares other than coal, and per-capita columns other than coal, fossil, renewables and "
        f"low-carbon); the 20 kept are {', '.join(ENERGY_KEEP)}. Values unchanged.",
        [gh_source("BP Statistical Review of World Energy, prepared by Our World in Data", OWID_DS[0],
                   "datasets/Energy mix from BP (2021)/Energy mix from BP (2021).csv", OWID_DS[1],
                   "efdf89668389213aa23628b7dfabc14cbd550f6d")],
        [LIC_OWID_DS],
        "Source: BP Statistical Review of World Energy 2021, via Our World in Data (owid-datasets).",
        owid_entity_year_fields(ENERGY_KEEP, "primary energy (BP)."),
        make="keep", keep=ENERGY_KEEP)

    add("climate", "electricity_mix",
        "Electricity generation mix by source, 1990-2021 (BP & Ember via OWID)",
        "climate/owid_electricity_mix_bp_ember_2022.csv", "climate/owid_electricity_mix_bp_ember_2022.csv",
        "Electricity generation and demand, generation by source, shares of electricity by source (e.g. coal's "
        "share of Japan's electricity), per-capita electricity, carbon intensity and power-sector emissions, "
        "from the BP Statistical Review and Ember, prepared by Our World in Data (retrieved 8 April 2022), "
        "1990-2021 (582 rows) for the course countries plus 'Asia Pacific' and World. Processing: rows dropped "
        "(course countries + World + Asia Pacific, years 1990 onward); columns dropped: 29 of the 49 source "
        "columns (bioenergy, hydro, solar, wind and other-renewable detail, per-capita by source, net imports, "
        f"electricity as share of primary energy); the 20 kept are {', '.join(ELECTRICITY_KEEP)}. Values unchanged.",
        [gh_source("BP Statistical Review of World Energy & Ember, prepared by Our World in Data", OWID_DS[0],
                   "datasets/Electricity mix from BP & EMBER (2022)/Electricity mix from BP & EMBER (2022).csv",
                   OWID_DS[1], "8d5f9e399940c775b02ad32c7a60b42f4671e83c")],
        [LIC_OWID_DS],
        "Source: BP Statistical Review of World Energy and Ember, via Our World in Data (owid-datasets).",
        owid_entity_year_fields(ELECTRICITY_KEEP, "electricity (BP & Ember)."),
        make="keep", keep=ELECTRICITY_KEEP)

    ghg = raw / "climate/owid_ghg_by_sector_cait_2021.csv"
    add("climate", "ghg_by_sector",
        "Greenhouse-gas emissions by sector, 1990-2018 (CAIT via OWID)",
        "climate/owid_ghg_by_sector_cait_2021.csv", "climate/owid_ghg_by_sector_cait_2021.csv",
        "Total greenhouse-gas emissions by sector (agriculture, buildings, electricity and heat, energy, "
        "industry, land-use change and forestry, transport, waste, totals with and without LUCF) in million "
        "tonnes CO2-equivalent, and per person in tonnes, from the CAIT Climate Data Explorer via Climate Watch, "
        "prepared by Our World in Data (retrieved 16 Feb 2022), 1990-2018 (522 rows). Caveat: OWID's own "
        "metadata gives the unit as 'tonnes CO2e' with conversionFactor 1 000 000 — the values are in millions. "
        "Some sector columns are empty for small countries. Processing: rows dropped (course countries + World, "
        "years 1990 onward); columns unchanged.",
        [gh_source("CAIT Climate Data Explorer via Climate Watch, prepared by Our World in Data", OWID_DS[0],
                   "datasets/GHG Emissions by Country and Sector (CAIT, 2021)/GHG Emissions by Country and Sector (CAIT, 2021).csv",
                   OWID_DS[1], "e12551b57f5845b3b3f7590f6b70564a56f8ff31")],
        [LIC_OWID_DS],
        "Source: CAIT Climate Data Explorer (Climate Watch), via Our World in Data (owid-datasets).",
        ghg_fields(ghg))

    add("climate", "idmc_displacement",
        "Internal displacements by country, year and cause, 2008-2023 (IDMC)",
        "climate/idmc_displacement_flows.csv", "climate/idmc_displacement_flows.csv",
        "New internal displacements (flows) per country (ISO-3 code; 'AB9' = Abyei Area), year and cause "
        "('conflict' or a disaster hazard such as flood, storm, earthquake, drought), 2008-2023, all countries "
        "(4071 rows), from the IDMC Global Internal Displacement Database as distributed in the gdidata R "
        "package ('Received via correspondence with IDMC'). Caveat: summing disaster causes for the ten ASEAN "
        "members + Timor-Leste over 2008-2018 gives about 58.0 million, not the article's 54.4 million (IDMC "
        "revises figures between releases). Processing: converted from the R data file data/idmc_flows.rda to "
        "CSV (pyreadr) before the raw snapshot; all rows and columns kept; copied unchanged from the snapshot.",
        [gh_source("Internal Displacement Monitoring Centre (IDMC), via the gdidata R package", "iom/gdidata",
                   "data/idmc_flows.rda", "c9e4cc69cebd91d6cfca5f4107e2406e4de2c6ff",
                   "ebe6a001c22f210720f3a4fcd7b1ae875af6dd18")],
        [LIC_IDMC],
        "Source: Internal Displacement Monitoring Centre (IDMC) Global Internal Displacement Database, via the "
        "gdidata R package (MIT; IDMC terms apply).",
        [S("geo", "ISO 3166-1 alpha-3 code ('AB9' = Abyei Area)."),
         F("t", "year", "year", "Year of the displacements."),
         S("cause", "'conflict' or the disaster hazard type."),
         F("n", "integer", "people (displacements)", "Internal displacements (flows) in that year; a person can be counted more than once.")])

    # ---------------- china ----------------
    trade_sources_note = ("Publishers as stated in the source repository's assets/sources.md (accessed by the "
                          "repository author 23.05.2025).")
    trade_cite_tail = "via github mizydorczyk/relationship-between-trade-and-the-exchange-rate (no licence file)."
    add("china", "trade_japan_china",
        "Japan's monthly exports to and imports from China, 2001-2019 (thousand JPY; Ministry of Finance Japan)",
        "china/japan-china-trade-data.csv", "china/japan-china-trade-data.csv",
        "Japan's monthly exports to and imports from China, January 2001 - December 2019 (228 rows), in thousands "
        "of Japanese yen, nominal, not seasonally adjusted (Ministry of Finance Japan trade statistics). "
        f"{trade_sources_note} FORMAT KEPT AS PUBLISHED for a cleaning exercise: ';'-separated, Windows (CRLF) "
        "line endings, no final newline, dates like '2001/01' (year/month; schema format %Y/%m, loaded as the "
        f"first day of the month). {VERBATIM_RAW} (source file verbatim).",
        [gh_source("Ministry of Finance Japan, trade statistics", TRADE[0], "assets/japan-china-trade-data.csv",
                   TRADE[1], "c80c8342c463a4c598a9aaaeb1d6258aab725c2f")],
        [LIC_TRADE],
        f"Source: Ministry of Finance Japan trade statistics, {trade_cite_tail}",
        [F("Date", "date", "month", "Month, written YYYY/MM.", format="%Y/%m"),
         F("Exports", "integer", "thousand JPY", "Japan's exports to China in the month (nominal)."),
         F("Imports", "integer", "thousand JPY", "Japan's imports from China in the month (nominal).")],
        dialect={"delimiter": ";"})

    add("china", "trade_usa_china",
        "U.S. monthly trade with China, 2001-2019 (million USD; U.S. Census Bureau)",
        "china/usa-china-trade-data.csv", "china/usa-china-trade-data.csv",
        "U.S. monthly exports to China, imports from China and the balance (exports - imports), January 2001 - "
        "December 2019 (228 rows), in millions of U.S. dollars, nominal (U.S. Census Bureau). "
        f"{trade_sources_note} FORMAT KEPT AS PUBLISHED for a cleaning exercise: ';'-separated, CRLF line endings, "
        "months like 'January 2001' (schema format %B %Y), numbers with a comma as thousands separator and a "
        "point as decimal mark ('1,187.5'; schema groupChar ','). "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source("United States Census Bureau, foreign trade statistics", TRADE[0],
                   "assets/usa-china-trade-data.csv", TRADE[1], "be89e4168b9343a619556fa4d1780a770661267a")],
        [LIC_TRADE],
        f"Source: U.S. Census Bureau foreign trade statistics, {trade_cite_tail}",
        [F("Month", "date", "month", "Month, written 'January 2001'.", format="%B %Y"),
         F("Exports", "number", "million USD (current)", "U.S. exports to China.", groupChar=","),
         F("Imports", "number", "million USD (current)", "U.S. imports from China.", groupChar=","),
         F("Balance", "number", "million USD (current)", "Exports minus imports (negative = U.S. deficit).", groupChar=",")],
        dialect={"delimiter": ";"})

    add("china", "trade_korea_china",
        "South Korea's monthly exports to and imports from China, 2001-2019 (thousand USD; KOSIS)",
        "china/korea-china-trade-data.csv", "china/korea-china-trade-data.csv",
        "South Korea's monthly exports to and imports from China, January 2001 - December 2019 (228 rows), in "
        "thousands of U.S. dollars (Korean Statistical Information Service, KOSIS). "
        f"{trade_sources_note} FORMAT KEPT AS PUBLISHED for a cleaning exercise: ','-separated with the first two "
        "columns quoted; dates like \"2001.01\" (year.month; schema format %Y.%m). Trap: read naively, pandas "
        "turns \"2001.10\" into the number 2001.1 — read the column as text. "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source("Korean Statistical Information Service (KOSIS)", TRADE[0], "assets/korea-china-trade-data.csv",
                   TRADE[1], "e63ca354ab9bc92342a89b7a8f3fc3d663c7453a")],
        [LIC_TRADE],
        f"Source: Korean Statistical Information Service (KOSIS), {trade_cite_tail}",
        [S("Country", "Partner country as written by KOSIS (always China)."),
         F("Date", "date", "month", "Month, written YYYY.MM.", format="%Y.%m"),
         F("Exports", "integer", "thousand USD", "South Korea's exports to China in the month."),
         F("Imports", "integer", "thousand USD", "South Korea's imports from China in the month.")])

    add("china", "exchange_rates",
        "Daily exchange rates of CNY, JPY and KRW per U.S. dollar, 2001-2019 (IMF)",
        "china/exchange-rates.csv", "china/exchange-rates.csv",
        "IMF representative exchange rates, national currency units per U.S. dollar, daily on trading days, "
        "2001-01-02 to 2019-12-30 (4840 rows); empty cell = no rate published that day for that currency; the USD "
        f"column is always 1. {trade_sources_note} FORMAT KEPT AS PUBLISHED for a cleaning exercise: "
        "';'-separated, CRLF line endings, no final newline, dates like '02-Jan-2001' (schema format %d-%b-%Y). "
        f"{VERBATIM_RAW} (source file verbatim).",
        [gh_source("International Monetary Fund, representative exchange rates", TRADE[0],
                   "assets/exchange-rates.csv", TRADE[1], "3e4165a412cc2f9e9e2fdf92e976053d0e0d2b3c")],
        [LIC_TRADE],
        f"Source: International Monetary Fund representative exchange rates, {trade_cite_tail}",
        [F("Date", "date", "date", "Day, written DD-Mon-YYYY.", format="%d-%b-%Y"),
         F("CNY", "number", "CNY per USD", "Chinese yuan per U.S. dollar."),
         F("JPY", "number", "JPY per USD", "Japanese yen per U.S. dollar."),
         F("KRW", "number", "KRW per USD", "Korean won per U.S. dollar."),
         F("USD", "number", "USD per USD", "Always 1.")],
        dialect={"delimiter": ";"})

    add("china", "sipri_milex",
        "Military expenditure, share of GDP and per capita, 1990-2020 (SIPRI via OWID)",
        "china/owid_sipri_milex.csv", "china/owid_sipri_milex.csv",
        "SIPRI Military Expenditure Database as prepared by Our World in Data (retrieved 24 Feb 2022): military "
        "expenditure in constant 2019 U.S. dollars (whole dollars, not millions), as percent of GDP, and per "
        "person, 1990-2020 (564 rows), for the course countries plus World and Asia. Empty = not available. "
        "Processing: rows dropped (course countries + World + Asia, years 1990 onward); columns unchanged.",
        [gh_source("SIPRI Military Expenditure Database, prepared by Our World in Data", OWID_DS[0],
                   "datasets/SIPRI Military Expenditure Database/SIPRI Military Expenditure Database.csv",
                   OWID_DS[1], "078df7d0b52698f37fe8720a93437d01dda5fd00")],
        [LIC_OWID_DS],
        "Source: SIPRI Military Expenditure Database, via Our World in Data (owid-datasets).",
        [S("Entity", "Country or region, as spelled by Our World in Data."),
         F("Year", "year", "year", "Calendar year."),
         F("military_expenditure", "number", "USD (constant 2019 prices)", "Military expenditure (whole dollars)."),
         F("military_expenditure_share_gdp", "number", "percent of GDP", "Military expenditure as percent of GDP."),
         F("military_expenditure_per_capita", "number", "USD per person (constant 2019 prices)", "Military expenditure per person.")])

    sipri_desc = ("Sheet '{sheet}' of the SIPRI Military Expenditure Database workbook 1949-2020 ('© SIPRI 2021'), "
                  "one row per country (18 rows; SIPRI spellings: USA, China, Japan, 'Korea, North', 'Korea, South', "
                  "Taiwan, India, Bangladesh, ASEAN members, 'Viet Nam'), one column per year 1949-2020{extra}. "
                  "FORMAT KEPT AS PUBLISHED for a cleaning exercise: wide layout; markers '. .' = data unavailable and "
                  "'xxx' = country did not exist or was not independent (schema missingValues); `Notes` holds footnote "
                  "markers such as '† 49'. Processing (before the raw snapshot): the sheet was exported to CSV with the "
                  "row whose first cell is 'Country' as header; only the course-country rows kept; all year columns "
                  "kept; values as stored in the Excel cells. Copied unchanged from the snapshot.")
    raw_cu = raw / "china/sipri_milex_constant2019usd_raw.csv"
    add("china", "sipri_milex_constant_usd_raw",
        "Military expenditure in constant 2019 USD, 1949-2020 (raw SIPRI sheet)",
        "china/sipri_milex_constant2019usd_raw.csv", "china/sipri_milex_constant2019usd_raw.csv",
        sipri_desc.format(sheet="Constant (2019) USD",
                          extra=", plus '2020 Current' (2020 in current US$ m.); values in US$ millions at constant "
                                "2019 prices; an unnamed empty column ('Unnamed: 1') from the sheet is kept"),
        [gh_source("Stockholm International Peace Research Institute (SIPRI) Military Expenditure Database",
                   SIPRI_XLSX[0], SIPRI_XLSX[2], SIPRI_XLSX[1], SIPRI_XLSX[3],
                   sheet="Constant (2019) USD", last_changed_commit="d77a71dfa10f0f9a75b76df5bda712b6e685cb7f")],
        [LIC_SIPRI],
        "Source: SIPRI Military Expenditure Database 1949-2020 (© SIPRI 2021), workbook copy in owid/notebooks.",
        sipri_raw_fields(raw_cu, "million USD (constant 2019 prices)", "Military expenditure"),
        missing=["", ". .", "xxx"])

    raw_sh = raw / "china/sipri_milex_share_of_gdp_raw.csv"
    add("china", "sipri_milex_share_gdp_raw",
        "Military expenditure as a share of GDP, 1949-2020 (raw SIPRI sheet)",
        "china/sipri_milex_share_of_gdp_raw.csv", "china/sipri_milex_share_of_gdp_raw.csv",
        sipri_desc.format(sheet="Share of GDP",
                          extra="; values are FRACTIONS of GDP as stored in the Excel cells (0.0374 = 3.74 %), "
                                "unlike sipri_milex where the share is in percent"),
        [gh_source("Stockholm International Peace Research Institute (SIPRI) Military Expenditure Database",
                   SIPRI_XLSX[0], SIPRI_XLSX[2], SIPRI_XLSX[1], SIPRI_XLSX[3],
                   sheet="Share of GDP", last_changed_commit="d77a71dfa10f0f9a75b76df5bda712b6e685cb7f")],
        [LIC_SIPRI],
        "Source: SIPRI Military Expenditure Database 1949-2020 (© SIPRI 2021), workbook copy in owid/notebooks.",
        sipri_raw_fields(raw_sh, "fraction of GDP", "Military expenditure as a fraction of GDP"),
        missing=["", ". .", "xxx"])

    # ---------------- institutions ----------------
    p = raw / "institutions/TRUMPWORLD-us.csv"
    add("institutions", "pew_favourable_us",
        "Favourable view of the United States by country, 2000-2017 (Pew)",
        "institutions/TRUMPWORLD-us.csv", "institutions/TRUMPWORLD-us.csv",
        "Percent of respondents in each surveyed country with a favourable view of the United States, one row per "
        "survey year (17 rows: 2000, 2002-2017), one column per country (includes Indonesia, Philippines, Vietnam, "
        "Japan, South Korea, India, Australia). `avg` is FiveThirtyEight's average over the countries surveyed that "
        "year. Empty = not surveyed. Caveat: the article's 42% for Indonesia comes from a later survey than this "
        f"file. {VERBATIM_RAW} (source file verbatim).",
        [gh_source("Pew Research Center Global Attitudes surveys, compiled by FiveThirtyEight", FTE[0],
                   "trump-world-trust/TRUMPWORLD-us.csv", FTE[1], "14ed6a99f344a49a601fe1672e93d1184809f94a")],
        [LIC_FTE],
        "Source: Pew Research Center Global Attitudes surveys, via FiveThirtyEight (CC BY 4.0).",
        pew_wide_fields(p, "with a favourable view of the United States"))

    add("institutions", "eas_attendance",
        "U.S. presidential attendance at the East Asia Summit, 2011-2020 (hand-built from news reports)",
        "institutions/us_president_eas_attendance_transcribed.csv",
        "institutions/us_president_eas_attendance_transcribed.csv",
        "A hand-built teaching table (10 rows, 2011-2020): host country, U.S. president, whether the president "
        "attended the East Asia Summit plenary, who represented the U.S. otherwise, and the public report each row "
        "is based on (CNBC 2017-11-02, Straits Times 2018, Reuters 2017-11-14, VOA 2019, the CAP article for 2020). "
        "Caveat: the article calls 2020 Trump's 'third' absence, which counts 2017 as attended (Trump attended the "
        "ASEAN-U.S. events in Manila but left before the EAS plenary); by these reports it was his fourth. "
        "FORMAT: CRLF line endings; `president_attended_eas_plenary` is 'yes'/'no' (schema boolean with "
        f"trueValues/falseValues). {VERBATIM_RAW}.",
        [{"title": "CNBC, 2017-11-02",
          "path": "https://www.cnbc.com/2017/11/02/trump-asia-tour-risks-of-missing-east-asia-summit.html"},
         {"title": "The Straits Times, 2018",
          "path": "https://www.straitstimes.com/world/united-states/trump-to-skip-asia-summits-in-singapore-papua-new-guinea"},
         {"title": "Reuters, 2017-11-14",
          "path": "https://uk.reuters.com/article/uk-trump-asia-departure/trump-skips-east-asia-leaders-summit-sends-tillerson-instead-idUKKBN1DE0QY"},
         {"title": "Voice of America, 2019",
          "path": "https://www.voanews.com/east-asia-pacific/us-scales-back-attendance-east-asia-summit"},
         {"title": "Center for American Progress (Fuchs & Lee), '5 Priorities for the U.S.-Japan Alliance in 2021', "
                   "November 2020 (2020 row)"}],
        [LIC_EAS],
        "Source: course table built from CNBC (2017), The Straits Times (2018), Reuters (2017), VOA (2019) and "
        "Fuchs & Lee, CAP (2020); each row cites its report.",
        [F("year", "year", "year", "Year of the East Asia Summit."),
         S("host_country", "ASEAN chair hosting the summit."),
         S("us_president", "U.S. president that year."),
         F("president_attended_eas_plenary", "boolean", "yes/no",
           "Whether the president attended the EAS plenary.", trueValues=["yes"], falseValues=["no"]),
         S("us_representative", "Who led the U.S. delegation when the president did not (empty otherwise)."),
         S("source", "URL or citation of the report the row is based on."),
         S("note", "Remarks, e.g. reasons for absence.")])

    # ---------------- north_korea ----------------
    nagix_cite = ("Source: CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / "
                  "NTI), via github nagix/nk-missile-tests (Apache-2.0).")
    add("north_korea", "nk_missile_tests",
        "North Korean missile tests, one row per missile, 1984-2026 (CNS database via nk-missile-tests)",
        "north_korea/nk_missile_tests.csv", "north_korea/nk_missile_tests.csv",
        "One row per missile launched (339 rows, 1984-04-09 to 2026-04-18) from the CNS North Korea Missile Test "
        "Database (James Martin Center for Nonproliferation Studies, for NTI) as republished by nagix/"
        "nk-missile-tests, which added bearings from other sources (e.g. Japan Ministry of Defense). `missile` "
        "links to nk_missile_types, `facility` to nk_launch_facilities. Caveats: the newest entries are the repo "
        "author's preliminary figures; the 1984 entries are CNS best estimates; 8 early entries have only a month "
        "('1984-09', ...), so `date` is a string as published — parse with pd.to_datetime(df['date'], "
        "format='mixed') or take df['date'].str[:4] for the year. Missing values: in `apogee` and `distance` "
        "'unknown' and 'na' are loaded as NA (field-level missingValues); in the text columns `landing`, "
        "`outcome` and `time`, 'unknown' and 'na' (not applicable, e.g. no landing point) are kept as "
        "categories because they are meaningful answers. Processing (before the raw snapshot): the JSON list "
        "timeBins[].data[] of data/test.en.json flattened to one row per missile; keys became column names, "
        "values unchanged, missing keys -> empty cells, `glide` kept as a JSON string. Copied unchanged from "
        "the snapshot.",
        [gh_source("CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / NTI), "
                   "republished by nagix/nk-missile-tests", NAGIX[0], "data/test.en.json", NAGIX[1],
                   "1dda2e4105ed1ea034bc805ed83970bdc5cab583")],
        [LIC_NAGIX], nagix_cite,
        [S("date", "Launch date YYYY-MM-DD (YYYY-MM for 8 early entries); string as published."),
         S("time", "Local launch time, 'hh:mm (UTC)' style text, or 'unknown'."),
         F("series", "integer", "count", "Sequence number of the missile within a launch event (empty for 90 rows)."),
         S("missile", "Missile id (see nk_missile_types.missile)."),
         S("facility", "Launch facility id (see nk_launch_facilities.facility)."),
         S("landing", "Landing area: sea-of-japan, pacific-ocean, yellow-sea, north-korea, unknown, na (not applicable)."),
         F("apogee", "number", "km", "Highest altitude reached; 'unknown'/'na' loaded as NA.",
           missingValues=["", "unknown", "na"]),
         F("distance", "integer", "km", "Distance flown; 'unknown'/'na' loaded as NA.",
           missingValues=["", "unknown", "na"]),
         F("bearing", "integer", "degrees", "Launch bearing (partly from sources other than CNS)."),
         S("outcome", "success, failure or unknown."),
         S("description", "CNS description of the test (empty for some rows)."),
         S("glide", "Glide-phase data as a JSON string (4 rows).")])

    add("north_korea", "nk_missile_types",
        "North Korean missile types (nk-missile-tests)",
        "north_korea/nk_missile_types.csv", "north_korea/nk_missile_types.csv",
        "One row per missile type id used in nk_missile_tests (37 rows): display name, class (SRBM, MRBM, IRBM, "
        "ICBM, SLBM, SLV, HGV) and manoeuvre type (glide/pullup, empty otherwise). Processing (before the raw "
        "snapshot): the JSON object data/missile.en.json flattened, its key kept as column `missile`. Copied "
        "unchanged from the snapshot.",
        [gh_source("CNS North Korea Missile Test Database, republished by nagix/nk-missile-tests", NAGIX[0],
                   "data/missile.en.json", NAGIX[1], "929fa31fb7d3803bd8647b010865a074055bd1f4")],
        [LIC_NAGIX], nagix_cite,
        [S("missile", "Missile id."), S("name", "Missile name."),
         S("type", "Class: SRBM/MRBM/IRBM/ICBM (short/medium/intermediate-range/intercontinental ballistic), "
                   "SLBM (submarine-launched), SLV (space launch vehicle), HGV (hypersonic glide vehicle)."),
         S("maneuver", "Manoeuvre: glide, pullup, or empty.")])

    add("north_korea", "nk_launch_facilities",
        "North Korean missile launch facilities (nk-missile-tests)",
        "north_korea/nk_launch_facilities.csv", "north_korea/nk_launch_facilities.csv",
        "One row per launch facility id used in nk_missile_tests (56 rows): name and coordinates. Processing "
        "(before the raw snapshot): the JSON object data/facility.en.json flattened, its key kept as column "
        "`facility`. Copied unchanged from the snapshot.",
        [gh_source("CNS North Korea Missile Test Database, republished by nagix/nk-missile-tests", NAGIX[0],
                   "data/facility.en.json", NAGIX[1], "d6ad7bdc46ca4c9a5d738696e3c97737834bb3fa")],
        [LIC_NAGIX], nagix_cite,
        [S("facility", "Facility id."), S("name", "Facility name."),
         F("lat", "number", "degrees north", "Latitude."), F("lon", "number", "degrees east", "Longitude.")])

    add("north_korea", "fas_warheads",
        "Nuclear warhead stockpiles by country, 1945-2023 (FAS via OWID)",
        "north_korea/fas_nuclear_warhead_stockpiles.csv", "north_korea/fas_nuclear_warhead_stockpiles.csv",
        "Estimated nuclear warheads in military stockpiles per country and year, 1945-2023 (869 rows): China, "
        "France, India, Israel, North Korea, Pakistan, Russia, South Africa, United Kingdom, United States, World. "
        "Federation of American Scientists (Kristensen, Korda, Reynolds, Norris), 'Status of World Nuclear "
        "Forces', prepared by Our World in Data. Caveats: these are estimates; the source spells North Korea with "
        "TWO spaces ('North  Korea') — kept as published, students must handle it (e.g. "
        "df['country_name'].str.split().str.join(' ')). The folder was later removed from owid/notebooks; this is "
        f"its last version. {VERBATIM_RAW} (source file verbatim).",
        [gh_source("Federation of American Scientists, Status of World Nuclear Forces, prepared by Our World in Data",
                   "owid/notebooks",
                   "BastianHerre/nuclear_weapons/Federation of American Scientists (2023) nuclear weapons inventories/nuclear_weapons_stockpiles.csv",
                   "d630acfedbb1ae105e3c19f8ebe887da6134009a", "a753d8acadd78f9f0a092102cdd076def809a607")],
        [LIC_FAS],
        "Source: Federation of American Scientists, Status of World Nuclear Forces, via Our World in Data.",
        [S("country_name", "Country as published (note 'North  Korea' with two spaces)."),
         F("year", "year", "year", "Calendar year."),
         F("nuclear_weapons_stockpile", "integer", "warheads", "Estimated warheads in military stockpiles.")])

    return R


TOPIC_TITLES = {
    "alliance": "alliance/ — notebook 0, the alliance in 2020",
    "health": "health/ — notebook 1, global health and pandemic preparedness",
    "climate": "climate/ — notebook 2, climate change",
    "china": "china/ — notebook 3, the China challenge",
    "institutions": "institutions/ — notebook 4, multilateral institutions in Asia",
    "north_korea": "north_korea/ — notebook 5, working together on North Korea",
}

NO_DATA = [
    "**Host-nation support** (Japan's payments for U.S. forces; the $8 billion demand), steel and aluminium "
    "tariffs, the TPP: no dataset found — only the article's own figures (`article_figures`).",
    "**COVID-19 vaccinations** by country: no usable offline file (OWID's per-country vaccination files exist "
    "only in early-2021 versions; owid/covid-19-data is too large to snapshot).",
    "**WHO funding** by member state: nothing found.",
    "**Population exposed to coastal flooding by 2050** (Kulp & Strauss 2019 / Climate Central): no country "
    "table found — only the article's 300 million / 237 million (`article_figures`).",
    "**Overseas coal finance** (Japan, U.S., China): nothing found.",
    "**Chinese government vessels near the Senkaku Islands** (Japan Coast Guard monthly counts): nothing found.",
    "**Pew opinion of China** by country: only an unweighted 1 000-respondent teaching excerpt exists; not usable "
    "for country shares, not included.",
    "**ISEAS 'State of Southeast Asia' survey** (trust in Japan/U.S./China): nothing found — only the article's "
    "84 % figure (`article_figures`).",
    "**Japan-South Korea bilateral trade 2018-2020**: nothing found (only each country's trade with China).",
]


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


def make_readme(pkg: dict) -> str:
    out = [
        "# Course data",
        "",
        "Real, public data for the course, built around Fuchs & Lee, \"5 Priorities for the U.S.-Japan Alliance "
        "in 2021\" (Center for American Progress, November 2020). **This file is generated by "
        "`scripts/curate_data.py`** from the shared raw-data snapshot and its `SOURCES.md`; do not edit by hand.",
        "",
        "Rules: real data only; values are kept exactly as published (never rounded, interpolated or invented). "
        "The only processing is dropping rows or columns, dropping a byte-order mark, and (for the article "
        "figures) replacing the article's sentences by a short context written for the course. Each entry below "
        "says what was done. The trade files, exchange rates and raw SIPRI sheets keep their original, messy "
        "format on purpose: students clean them as an exercise.",
        "",
        "Machine-readable metadata (sources with commit and blob ids, licences, a schema with type, unit and "
        "description of every column) is in `datapackage.json`, a Frictionless Data Package "
        "(`frictionless validate data/datapackage.json`). In notebooks use `course.data`:",
        "",
        "```python",
        "from course import data",
        "data.catalog()                    # one row per dataset",
        "df = data.load(\"covid_worldwide\")  # typed DataFrame (dates -> datetime64, integers -> Int64,",
        "                                  # numbers -> float64, text -> string, markers -> NA)",
        "data.cite(\"covid_worldwide\")       # one-line source for every chart and answer",
        "data.describe(\"covid_worldwide\")   # description, caveats, unit of each column",
        "data.raw_path(\"trade_usa_china\")   # the file itself, for cleaning exercises with pd.read_csv",
        "```",
        "",
        "Licence names: `notspecified` means no licence file was found in the source repository; the original "
        "publisher's terms apply. Third-party data always remain under their publishers' terms.",
        "",
    ]
    for topic, heading in TOPIC_TITLES.items():
        out += [f"## {heading}", ""]
        for res in pkg["resources"]:
            if res["topic"] != topic:
                continue
            src = res["sources"][0]
            lic = res["licenses"][0]
            extra = ""
            if "dialect" in res:
                extra = f" Delimiter `{res['dialect']['delimiter']}`."
            missing = [m for m in res["schema"]["missingValues"] if m]
            if missing:
                extra += f" Missing-value markers: {', '.join(repr(m) for m in missing)}."
            out += [
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
    out += ["## What there is NO data for", "",
            "Notebooks must say so instead of inventing numbers (use the article's own figures, cited, where "
            "they exist):", ""]
    out += [f"* {item}" for item in NO_DATA]
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------


def make_package(resources: list[dict]) -> dict:
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
        "name": "us-japan-alliance-course-data",
        "title": "Data for the course 'Five priorities for the U.S.-Japan alliance' (real public data)",
        "description": (
            "Curated public datasets used by the course notebooks, built around Fuchs & Lee, '5 Priorities for "
            "the U.S.-Japan Alliance in 2021' (Center for American Progress, Nov 2020). Values are kept exactly "
            "as published; processing is limited to dropping rows/columns and a byte-order mark, and is recorded "
            "in each resource's description. Generated by scripts/curate_data.py; see data/README.md."
        ),
        "licenses": [{
            "name": "notspecified",
            "title": "Mixed: each resource carries its own licence (resources[].licenses); third-party data "
                     "remain under their publishers' terms",
        }],
        "sources": sources,
        "resources": resources,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw_dir", nargs="?", default=str(REPO_ROOT / ".." / "shared" / "data-raw"),
                    help="raw data folder (default: ../shared/data-raw relative to the repo root)")
    ap.add_argument("--out", default=str(DATA_DIR), help="output folder (default: <repo>/data)")
    args = ap.parse_args(argv)
    raw = Path(args.raw_dir).resolve()
    out = Path(args.out)
    if not (raw / "SOURCES.md").exists():
        print(f"error: {raw} does not look like the data-raw folder (no SOURCES.md)", file=sys.stderr)
        return 2

    resources = build_resources(raw)
    used = set()
    for res in resources:
        make, src, keep = res.pop("_make")
        dst = out / res["path"]
        used.add(src.relative_to(raw).as_posix())
        if make == "copy":
            copy_verbatim(src, dst)
        elif make == "keep":
            keep_columns(src, dst, keep)
        elif make == "article":
            write_article_figures(src, dst)
        else:
            raise ValueError(make)
        # every schema field must match the header of the written file, in order
        delim = res.get("dialect", {}).get("delimiter", ",")
        names = [f["name"] for f in res["schema"]["fields"]]
        if header_of(dst, delim) != names:
            raise SystemExit(f"{res['name']}: schema fields do not match header of {dst}")
        print(f"wrote {dst.relative_to(out.parent) if out.parent in dst.parents else dst}")

    unused = sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*.csv"))
    unused = [p for p in unused if p not in used]
    if unused:
        print(f"warning: raw files not curated: {unused}", file=sys.stderr)

    pkg = make_package(resources)
    (out / "datapackage.json").write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out / 'datapackage.json'} ({len(resources)} resources)")
    (out / "README.md").write_text(make_readme(pkg), encoding="utf-8")
    print(f"wrote {out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
