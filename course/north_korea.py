"""Helpers for notebook 5, working together on North Korea.

The notebook stays thin: its cells call into this module for the pieces that are longer than a few
lines and are not the student's exercise.

* The **road map** the article asks the allies to outline has no data set. The notebook gives a draft
  table of the road map's pieces as the article names them (:func:`draft_road_map`): a high-level
  trilateral meeting, regular consultations, agreement on concessions, on requests, on pacing, on goals
  and milestones, a consensus, and quiet U.S. help to ease Japan-South Korea tensions. No dates or
  numbers are invented: the only facts are the article's own categories. :func:`check_road_map` checks a
  road-map table for consistency (every prerequisite exists and comes earlier, no cycles, every step has
  a party); :func:`report_road_map` prints its verdict in plain words.
* The **missile-test explorer** (:func:`missile_explorer`) filters the CNS test record by year range and
  missile type and draws missiles per year, the longest distance or the highest apogee per year. Its
  table-building code is private (``_typed_record``, ``_per_year``): the notebook's questions ask for the
  same kinds of counts, so no public function here computes them.

Generic pieces that could move to shared modules: :func:`find_cycle` and the dependency checks in
:func:`check_road_map` (any ordered plan with prerequisites), and :func:`yearly_bars` (a vertical bar
chart over a continuous run of years with some years marked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as ipw
import matplotlib.pyplot as plt
import pandas as pd

from . import plots, widgets

__all__ = [
    "CNS_CUTOFF",
    "ROAD_MAP_COLUMNS",
    "ELEMENTS",
    "ARTICLE_ELEMENTS",
    "PARTIES",
    "parse_list",
    "links",
    "find_cycle",
    "check_road_map",
    "report_road_map",
    "draft_road_map",
    "yearly_bars",
    "missile_explorer",
]

# The last day of the CNS-described record in the course file. From January 2025 on, the rows of
# nk_missile_tests carry no CNS description and every outcome is "unknown": they are the
# republisher's preliminary entries (see the notebook and data/README.md).
CNS_CUTOFF = "2024-12-31"

ROAD_MAP_COLUMNS = ["order", "step", "element", "party", "requires"]

# Kinds of road-map step. The first four are the pieces the article says the road map must contain.
ARTICLE_ELEMENTS = ("concession", "request", "pacing", "milestone")
ELEMENTS = ARTICLE_ELEMENTS + ("meeting", "consultation", "consensus", "bridging")

PARTIES = ("United States", "Japan", "South Korea", "North Korea")

_SEPARATORS = (";", ",")


def parse_list(text) -> list[str]:
    """Split a cell such as ``"concessions; requests"`` into ``["concessions", "requests"]``.

    Accepts ``;`` or ``,`` as separators, a Python list or tuple, or an empty / missing value (``[]``).
    """
    if text is None:
        return []
    if isinstance(text, (list, tuple, set)):
        return [str(t).strip() for t in text if str(t).strip()]
    try:
        if pd.isna(text):
            return []
    except (TypeError, ValueError):
        pass
    text = str(text)
    for sep in _SEPARATORS[1:]:
        text = text.replace(sep, _SEPARATORS[0])
    return [part.strip() for part in text.split(_SEPARATORS[0]) if part.strip()]


def links(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """All dependencies of a road map as ``(step, prerequisite)`` pairs."""
    return {
        (str(step).strip(), prerequisite)
        for step, requires in zip(frame["step"], frame["requires"])
        for prerequisite in parse_list(requires)
    }


def find_cycle(requires: dict[str, Iterable[str]]) -> list[str]:
    """A dependency cycle as a list of steps (first step repeated at the end), or ``[]`` if none.

    ``requires`` maps each step to its prerequisites; prerequisites that are not keys are ignored.
    """
    white, grey, black = 0, 1, 2
    colour = {step: white for step in requires}
    stack: list[str] = []

    def visit(step: str) -> list[str]:
        colour[step] = grey
        stack.append(step)
        for before in requires[step]:
            if before not in colour:
                continue
            if colour[before] == grey:
                return stack[stack.index(before):] + [before]
            if colour[before] == white:
                found = visit(before)
                if found:
                    return found
        stack.pop()
        colour[step] = black
        return []

    for step in sorted(requires):
        if colour[step] == white:
            found = visit(step)
            if found:
                # Written in the direction of time: each step comes before the next one.
                return list(reversed(found))
    return []


def check_road_map(frame, *, required_elements: Sequence[str] = ()) -> list[str]:
    """Problems with a road-map table, in plain words; an empty list means it is consistent.

    ``frame`` needs the columns ``order`` (a number: the position of the step in time), ``step`` (a
    short unique id), ``element`` (one of :data:`ELEMENTS`), ``party`` (who acts, one or more of
    :data:`PARTIES` separated by ``;``) and ``requires`` (the ids of the steps that must come first,
    separated by ``;``; empty when none). Checked: the columns exist; ids are unique and orders are
    unique numbers; every step has a known element and at least one known party; every prerequisite
    exists, is not the step itself and comes earlier in ``order``; there is no cycle; and each
    element in ``required_elements`` appears at least once.
    """
    if not isinstance(frame, pd.DataFrame):
        return [f"The road map should be a pandas DataFrame; this is a {type(frame).__name__}."]
    missing = [c for c in ROAD_MAP_COLUMNS if c not in frame.columns]
    if missing:
        return [
            "The road map is missing the column(s) " + ", ".join(f"`{c}`" for c in missing)
            + ". It needs " + ", ".join(f"`{c}`" for c in ROAD_MAP_COLUMNS) + "."
        ]
    if frame.empty:
        return ["The road map has no steps."]
    problems: list[str] = []

    steps = [("" if pd.isna(s) else str(s).strip()) for s in frame["step"]]
    if any(not s for s in steps):
        problems.append("Some rows have no `step` id: give every step a short name.")
    duplicates = sorted({s for s in steps if s and steps.count(s) > 1})
    if duplicates:
        problems.append("Step ids must be unique; repeated: " + ", ".join(duplicates) + ".")

    order = pd.to_numeric(pd.Series(list(frame["order"])), errors="coerce")
    if order.isna().any():
        bad = [steps[i] or f"row {i}" for i in order.index[order.isna()]]
        problems.append("Every step needs a number in `order`; missing or not a number for: " + ", ".join(bad) + ".")
    elif order.duplicated().any():
        repeated = sorted({float(v) for v in order[order.duplicated(keep=False)]})
        problems.append(
            "Two steps share the same `order` ("
            + ", ".join(f"{v:g}" for v in repeated)
            + "): give each step its own position so the sequence is unambiguous."
        )
    position = {s: order.iloc[i] for i, s in enumerate(steps) if s}

    for s, element in zip(steps, frame["element"]):
        kind = "" if pd.isna(element) else str(element).strip()
        if kind not in ELEMENTS:
            problems.append(
                f"Step `{s}` has element {kind!r}, which is not one of: " + ", ".join(ELEMENTS) + "."
            )

    for s, party in zip(steps, frame["party"]):
        names = parse_list(party)
        if not names:
            problems.append(f"Step `{s}` has no party: say who acts (one or more of " + ", ".join(PARTIES) + ").")
            continue
        unknown = [n for n in names if n not in PARTIES]
        if unknown:
            problems.append(
                f"Step `{s}` names an unknown party ({', '.join(unknown)}); use: " + ", ".join(PARTIES) + "."
            )

    requires: dict[str, list[str]] = {}
    for s, r in zip(steps, frame["requires"]):
        if s:
            requires.setdefault(s, []).extend(b for b in parse_list(r) if b not in requires.get(s, []))
    for s, before_list in requires.items():
        for before in before_list:
            if before == s:
                problems.append(f"Step `{s}` requires itself.")
            elif before not in requires:
                problems.append(f"Step `{s}` requires `{before}`, which is not a step of the road map.")
            elif not pd.isna(position.get(s)) and not pd.isna(position.get(before)) and position[before] >= position[s]:
                problems.append(
                    f"Step `{s}` requires `{before}`, but `{before}` does not come before it in `order` "
                    f"({position[before]:g} is not earlier than {position[s]:g})."
                )

    cycle = find_cycle({s: [b for b in r if b != s] for s, r in requires.items()})
    if cycle:
        problems.append(
            "There is a cycle: " + " -> ".join(f"`{c}`" for c in cycle)
            + ". Each step waits for the one before it, so none of them can ever start."
        )

    present = {("" if pd.isna(e) else str(e).strip()) for e in frame["element"]}
    for element in required_elements:
        if element not in present:
            problems.append(f"No step of the road map is a {element!r}, one of the pieces the article asks for.")
    return problems


def report_road_map(frame, *, required_elements: Sequence[str] = ARTICLE_ELEMENTS) -> bool:
    """Print the problems :func:`check_road_map` finds, one per line; return True when there are none."""
    problems = check_road_map(frame, required_elements=required_elements)
    if not problems:
        print("✔ The road map is consistent: every step has a party, every prerequisite comes first, no cycles.")
        return True
    print(f"✘ {len(problems)} problem(s) with the road map:")
    for problem in problems:
        print("  - " + problem)
    return False


def draft_road_map() -> pd.DataFrame:
    """The course's draft of the article's road map, with three problems left in on purpose.

    Each row is a piece the article names (section *Working together on North Korea*); the ids, the
    ``requires`` links and the ``basis`` column are the course's paraphrase and reading, not the
    article's words. No dates or numbers are added.
    """
    allies = "United States; Japan; South Korea"
    rows = [
        (1, "trilateral_meeting", "meeting", allies, "consensus",
         "A high-level meeting of the three allies on North Korea, early in 2021."),
        (2, "regular_consultations", "consultation", allies, "trilateral_meeting",
         "Regular three-way consultations after that first meeting."),
        (3, "pacing", "pacing", allies, "concessions; requests",
         "Agree how fast, and in what sequence, negotiations should move."),
        (4, "concessions", "concession", allies, "",
         "Agree what kinds of concessions the allies could offer North Korea."),
        (5, "requests", "request", allies, "",
         "Agree what the allies would ask North Korea to do."),
        (6, "milestones", "milestone", "United States; Japan; South Korea; North Korea", "pacing",
         "Set goals and key milestones for every party involved, North Korea included."),
        (7, "consensus", "consensus", allies, "trilateral_meeting; concessions; requests; pacing; milestones",
         "A shared road map: one allied position that manages expectations."),
        (8, "reduce_frictions", "bridging", "", "",
         "Quiet work to lower tensions between Japan and South Korea."),
    ]
    frame = pd.DataFrame(rows, columns=ROAD_MAP_COLUMNS + ["basis"])
    frame["order"] = frame["order"].astype("int64")
    return frame


# --- the missile-test explorer -------------------------------------------------------------------


def yearly_bars(
    values: pd.Series,
    *,
    title: str,
    ylabel: str,
    source: str,
    marked: Sequence[int] = (),
    marked_label: str = "",
    ax=None,
):
    """Vertical bars, one per year of ``values`` (a Series indexed by year), ``marked`` years in the accent colour.

    Years are drawn on a numeric axis, so gaps in time stay visible.
    """
    plots.use_course_style()
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    years = [int(y) for y in values.index]
    heights = pd.to_numeric(pd.Series(list(values)), errors="coerce").fillna(0).tolist()
    marked = {int(y) for y in marked}
    colours = [plots.PALETTE[1] if y in marked else plots.PALETTE[0] for y in years]
    ax.bar(years, heights, color=colours, width=0.8)
    # Shade the marked years too, so a marked year with no bar (a zero) is still visible. fill_between
    # (a collection, not a patch) keeps the shading out of the generated text's count of bars.
    labelled = False
    for year in sorted(marked & set(years)):
        ax.fill_between([year - 0.5, year + 0.5], 0, 1, transform=ax.get_xaxis_transform(),
                        color=plots.PALETTE[1], alpha=0.18, linewidth=0,
                        label=None if labelled or not marked_label else marked_label)
        labelled = True
    plots.whole_number_ticks(ax.xaxis)
    ax.grid(axis="x", visible=False)
    return plots.finish(fig, ax, title=title, xlabel="Year", ylabel=ylabel, source=source)


_METRICS = {
    "Missiles launched": ("count", "missiles"),
    "Longest distance flown": ("distance", "km"),
    "Highest apogee": ("apogee", "km"),
}


def _typed_record(tests: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """Every row of the test record with its missile's type and a whole-number ``year`` (for the explorer)."""
    merged = tests.merge(types[["missile", "type"]], on="missile", how="left")
    merged["type"] = merged["type"].fillna("Unknown")
    merged["year"] = merged["date"].astype(str).str[:4].astype(int)
    return merged


def _per_year(tests: pd.DataFrame, types: Sequence[str], window: tuple[int, int], metric: str) -> pd.Series:
    """One value per year of ``window`` for the missiles of the given ``types`` (the explorer's table).

    ``tests`` has one row per missile with the columns ``year``, ``type``, ``distance`` and ``apogee``.
    ``metric`` is a key of the explorer's menu: a count (0 in years without a test) or the largest
    known distance / apogee (missing when none is known).
    """
    column, _unit = _METRICS[metric]
    years = pd.RangeIndex(int(window[0]), int(window[1]) + 1, name="year")
    part = tests[tests["type"].isin(list(types)) & tests["year"].between(window[0], window[1])]
    if column == "count":
        return part.groupby("year").size().reindex(years, fill_value=0)
    return pd.to_numeric(part[column], errors="coerce").groupby(part["year"]).max().reindex(years)


def missile_explorer(tests: pd.DataFrame, types: pd.DataFrame, *, source: str,
                     default_types: Sequence[str] | None = None,
                     title: str = "North Korean missile tests by year and type"):
    """The notebook's widget: filter the whole test record by a range of years and by missile type.

    ``tests`` is the test table as loaded (one row per missile, preliminary rows included) and ``types``
    the missile-type table; they are merged here. Years after :data:`CNS_CUTOFF` are shaded in the
    accent colour and labelled preliminary in the legend. The first and last year are two sliders
    (each readout is one year, so it is never clipped). Static (one drawing with the defaults) during
    autograding.
    """
    record = _typed_record(tests, types)
    type_names = sorted(record["type"].dropna().unique().tolist())
    low, high = int(record["year"].min()), int(record["year"].max())
    last_cns_year = int(CNS_CUTOFF[:4])
    wide = {"description_width": "initial"}
    controls = {
        "selected": ipw.SelectMultiple(
            options=type_names, value=tuple(default_types or type_names), description="Missile type",
            rows=len(type_names), style=wide, layout=ipw.Layout(width="260px"),
        ),
        "first": ipw.IntSlider(value=low, min=low, max=high, description="First year", continuous_update=False,
                               style=wide, layout=ipw.Layout(width="380px")),
        "last": ipw.IntSlider(value=high, min=low, max=high, description="Last year", continuous_update=False,
                              style=wide, layout=ipw.Layout(width="380px")),
        "metric": ipw.Dropdown(options=list(_METRICS), value=list(_METRICS)[0], description="Show",
                               style=wide, layout=ipw.Layout(width="300px")),
    }

    def draw(selected, first, last, metric):
        selected = list(selected)
        if not selected:
            print("Pick at least one missile type.")
            return None
        if first > last:
            print(f"The first year ({first}) is after the last year ({last}): move one of the sliders.")
            return None
        values = _per_year(record, selected, (first, last), metric)
        unit = _METRICS[metric][1]
        if values.fillna(0).sum() == 0:
            print(f"No {metric.lower()} recorded for {', '.join(selected)} in {first}-{last}.")
            return None
        preliminary = [y for y in values.index if y > last_cns_year]
        shown = "all types" if set(selected) == set(type_names) else ", ".join(selected)
        fig = yearly_bars(
            values, title=f"{metric}: {shown}, {first}-{last}",
            ylabel=f"{metric} ({unit})", source=source, marked=preliminary,
            marked_label=f"after {CNS_CUTOFF}: preliminary entries",
        )
        return fig

    return widgets.explore(draw, controls, title)
