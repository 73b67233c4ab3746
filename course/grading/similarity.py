"""`course similarity`: which pairs of submissions share unusually much of what the students wrote.

Only what students wrote is compared: the answer cells of each notebook (nbgrader ``solution=True,
grade=False`` code cells, and ``solution=True, grade=True`` markdown cells for written responses),
each with the starter code of the student version removed. Locked cells, setup and checks never enter.

Code is fingerprinted with ``copydetect`` (winnowing over Python tokens in which every name becomes
``V`` and every string ``S``, comments and whitespace dropped), with the starter code of the answer
cell as boilerplate, so renamed variables, changed comments, layout and strings do not hide a copy;
winnowing keeps most fingerprints of lines that were moved around. A passage that many students of
the class wrote the same way (more than ``common_limit`` answers to that question, as MOSS's ``-m``)
is treated like starter code too: it says nothing about who copied from whom.

Written responses are compared as text, by the Jaccard index of their sets of word trigrams after
lower-casing and dropping punctuation. copydetect on prose would compare raw characters (case,
punctuation and line breaks included), whereas copied prose keeps its word sequences: a shared
three-word phrase is also what a reader can check by eye in the report.

A pair's score is the larger of (a) the share of both students' fingerprinted code that matches,
over the code questions both answered, and (b) the highest written-response Jaccard index. A high
score is a reason to look at two submissions, never proof of copying.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from .. import cells, paths
from .discover import CourseWork
from .variants import nbgrader_meta, solution_notebook_path

# copydetect's k-gram length (in filtered characters; a name is one character) and winnowing window.
# Smaller than copydetect's default (25/30): answers are a few short pandas lines, and a k-gram
# must fit inside a line to survive the lines being reordered.
NOISE = 12
WINDOW = 4
WORD_NGRAM = 3
MIN_WORD_NGRAMS = 5  # a written response with fewer trigrams is too short to compare
DEFAULT_THRESHOLD = 0.3  # pairs below this score are not listed
WRITTEN_STARTER = "YOUR ANSWER HERE"


class SimilarityError(ValueError):
    """A course folder or assignment that cannot be compared."""


@dataclass(frozen=True)
class Question:
    grade_id: str
    kind: str  # "code" | "written"
    starter: str


@dataclass
class Answer:
    """One student's answer to one question, and its fingerprint (set later)."""

    student: str
    question: Question
    text: str
    fingerprint: object = None  # copydetect.CodeFingerprint for code
    ngrams: set = field(default_factory=set)  # word trigrams for written responses

    @property
    def size(self) -> float:
        if self.question.kind == "code":
            return float(self.fingerprint.token_coverage) if self.fingerprint is not None else 0.0
        return float(len(self.ngrams))


@dataclass
class QuestionMatch:
    question: Question
    score: float
    a: Answer
    b: Answer
    slices: tuple = (None, None)  # copydetect slices (code) or shared trigrams (written)


@dataclass
class Pair:
    a: str
    b: str
    assignment: str
    score: float
    matches: list[QuestionMatch]
    compared: int = 0  # questions both students answered with something left to compare

    def as_json(self) -> dict:
        return {"a": self.a, "b": self.b, "assignment": self.assignment, "score": round(self.score, 4),
                "questions": [{"question": m.question.grade_id, "kind": m.question.kind, "score": round(m.score, 4)}
                              for m in self.matches]}


@dataclass
class Result:
    pairs: list[Pair]  # highest score first
    submissions: dict[str, int]  # assignment -> submissions read
    skipped: dict[str, str]  # notebook path -> why it was not read
    common_limit: dict[str, int]  # assignment -> answers sharing a passage before it counts as common


# --- extraction: notebook -> what the student wrote ------------------------------------------------


def _answer_kind(cell) -> str | None:
    if cells.is_answer_cell(cell):
        return "code"
    if cells.is_written_response(cell):
        return "written"
    return None


def release_questions(assignment: str) -> tuple[str, list[Question]]:
    """(notebook file name, answer cells of the student version with their starter code), in notebook order."""
    from .simulate import release_notebook

    name = solution_notebook_path(assignment).name
    release = release_notebook(assignment, name)
    questions = []
    for cell in release.cells:
        kind = _answer_kind(cell)
        if kind:
            questions.append(Question(nbgrader_meta(cell)["grade_id"], kind, cell.source))
    return name, questions


def _is_blank_line(line: str, kind: str) -> bool:
    stripped = line.strip()
    return not stripped or (kind == "code" and stripped.startswith("#"))


def written_part(source: str, question: Question) -> str:
    """The cell without its starter lines; '' when nothing but starter, comments or blank lines is left."""
    starter_lines = {line.strip() for line in question.starter.splitlines() if line.strip()}
    if question.kind == "written":
        starter_lines.add(WRITTEN_STARTER)
    kept = [line for line in source.splitlines() if line.strip() not in starter_lines]
    if all(_is_blank_line(line, question.kind) for line in kept):
        return ""
    return "\n".join(kept).strip("\n") + "\n"


def extract(notebook: Path, questions: list[Question], student: str) -> list[Answer]:
    """The non-blank answers of one submitted notebook. Raises SimilarityError naming the file."""
    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported in one line
        raise SimilarityError(f"{notebook}: not a readable notebook ({type(error).__name__}: {error})") from None
    by_id = {}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id and grade_id not in by_id:
            by_id[grade_id] = cell
    answers = []
    for question in questions:
        cell = by_id.get(question.grade_id)
        if cell is None:
            continue
        text = written_part(cell.source, question)
        if text:
            answers.append(Answer(student, question, text))
    return answers


# --- fingerprints --------------------------------------------------------------------------------


def stable_kgram_hashes(string: str, k: int) -> np.ndarray:
    """copydetect's ``hashed_kgrams`` with a hash that is the same in every run: copydetect uses Python's
    ``hash()``, which is salted per process, so which fingerprints winnowing keeps, and so every score,
    would change a little from one run to the next."""
    return np.array([int.from_bytes(hashlib.blake2b(string[i:i + k].encode(), digest_size=8).digest(), "little", signed=True)
                     for i in range(len(string) - k + 1)], dtype=np.int64)


def _copydetect():
    import copydetect.utils

    copydetect.utils.hashed_kgrams = stable_kgram_hashes  # looked up at call time by get_document_fingerprints
    return copydetect


def code_fingerprint(code: str, boilerplate) -> object:
    CodeFingerprint = _copydetect().CodeFingerprint

    return CodeFingerprint("answer.py", NOISE, WINDOW, boilerplate=boilerplate, fp=io.StringIO(code), language="python")


def all_kgrams(code: str) -> set:
    """Every k-gram hash of a piece of code (a window of 1 keeps them all): the boilerplate to remove."""
    if not code.strip():
        return set()
    CodeFingerprint = _copydetect().CodeFingerprint
    return set(CodeFingerprint("starter.py", NOISE, 1, fp=io.StringIO(code), language="python").hashes)


WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def word_ngrams(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + WORD_NGRAM]) for i in range(len(tokens) - WORD_NGRAM + 1)}


def _keys(answer: Answer) -> set:
    if answer.question.kind == "code":
        return set(answer.fingerprint.hashes) if answer.fingerprint is not None else set()
    return answer.ngrams


def drop_common(fingerprint, common: set) -> None:
    """Remove the class's common passages from a fingerprint, as copydetect removes boilerplate (it would
    otherwise mean tokenising every answer twice: once to count passages, once to drop them)."""
    from copydetect.utils import get_token_coverage

    kept = {key: where for key, where in fingerprint.hash_idx.items() if key not in common}
    fingerprint.hashes = set(kept)
    fingerprint.hash_idx = kept
    fingerprint.token_coverage = get_token_coverage(kept, fingerprint.k, len(fingerprint.filtered_code))


def fingerprint_question(answers: list[Answer], question: Question, common_limit: int) -> None:
    """Fingerprint every answer to one question, with the starter and the class's common passages removed."""
    if question.kind == "written":
        starter = word_ngrams(question.starter) | word_ngrams(WRITTEN_STARTER)
        for answer in answers:
            answer.ngrams = word_ngrams(answer.text) - starter
    else:
        boilerplate = np.array(sorted(all_kgrams(question.starter)), dtype=np.int64)
        by_text: dict[str, object] = {}  # identical answers share one fingerprint (tokenising is the slow part)
        for answer in answers:
            if answer.text not in by_text:
                by_text[answer.text] = code_fingerprint(answer.text, boilerplate)
            answer.fingerprint = by_text[answer.text]
    counts: dict = defaultdict(int)
    for answer in answers:
        for key in _keys(answer):
            counts[key] += 1
    common = {key for key, count in counts.items() if count > common_limit}
    if not common:
        return
    if question.kind == "written":
        for answer in answers:
            answer.ngrams -= common
        return
    for fingerprint in by_text.values():
        if fingerprint.hashes & common:
            drop_common(fingerprint, common)


# --- pairing -------------------------------------------------------------------------------------


def compare(a: Answer, b: Answer) -> tuple[float, float, tuple]:
    """(matched size summed over both answers, score of the question 0..1, what to highlight)."""
    if a.question.kind == "code":
        from copydetect import compare_files

        overlap_a, (sim_a, sim_b), slices = compare_files(a.fingerprint, b.fingerprint)
        if not overlap_a:
            return 0.0, 0.0, (None, None)
        matched = sim_a * a.size + sim_b * b.size
        return float(matched), float(matched / (a.size + b.size)), slices
    shared = a.ngrams & b.ngrams
    if not shared:
        return 0.0, 0.0, (None, None)
    jaccard = len(shared) / len(a.ngrams | b.ngrams)
    return 0.0, jaccard, (shared, shared)


def _comparable(answer: Answer) -> bool:
    if answer.question.kind == "code":
        return answer.size > 0
    return len(answer.ngrams) >= MIN_WORD_NGRAMS


def pair_assignment(assignment: str, questions: list[Question], answers: dict[str, dict[str, Answer]],
                    threshold: float) -> list[Pair]:
    """Every pair of students with a score at or above ``threshold`` (and above 0)."""
    # Only pairs that share at least one fingerprint can score above 0: find them through an index.
    candidates: set[tuple[str, str]] = set()
    for question in questions:
        holders: dict = defaultdict(list)
        for student, by_question in answers.items():
            answer = by_question.get(question.grade_id)
            if answer is not None and _comparable(answer):
                for key in _keys(answer):
                    holders[key].append(student)
        for students in holders.values():
            candidates.update(itertools.combinations(sorted(students), 2))
    pairs = []
    for a, b in sorted(candidates):
        matches, code_matched, code_size, written_best, compared = [], 0.0, 0.0, 0.0, 0
        for question in questions:
            answer_a, answer_b = answers[a].get(question.grade_id), answers[b].get(question.grade_id)
            if answer_a is None or answer_b is None or not (_comparable(answer_a) and _comparable(answer_b)):
                continue
            compared += 1
            matched, score, slices = compare(answer_a, answer_b)
            if question.kind == "code":
                code_matched += matched
                code_size += answer_a.size + answer_b.size
            else:
                written_best = max(written_best, score)
            if score > 0:
                matches.append(QuestionMatch(question, score, answer_a, answer_b, slices))
        score = max(code_matched / code_size if code_size else 0.0, written_best)
        if score > 0 and score >= threshold:
            pairs.append(Pair(a, b, assignment, score, matches, compared))
    return pairs


def find_similar(work: CourseWork, assignments: list[str] | None = None, *, threshold: float = DEFAULT_THRESHOLD,
                 common_share: float = 0.05, common_minimum: int = 5) -> Result:
    """Compare every pair of submissions of each assignment; pairs at or above ``threshold``, highest first.

    A passage is common (ignored) when more than ``max(common_minimum, common_share * submissions)``
    answers to the same question contain it.
    """
    if not work.submitted.is_dir():
        raise SimilarityError(f"{work.submitted}: no such folder (expected submitted/<student>/<assignment>/)")
    known = paths.assignments()
    unknown = [a for a in assignments or [] if a not in known]
    if unknown:
        raise SimilarityError(f"unknown assignment(s): {', '.join(unknown)} (known: {', '.join(known)})")
    pairs: list[Pair] = []
    read: dict[str, int] = {}
    skipped: dict[str, str] = {}
    limits: dict[str, int] = {}
    submissions = work.submissions(assignments or None)
    for assignment in assignments or known:
        mine = [s for s in submissions if s.assignment == assignment]
        if not mine:
            continue
        name, questions = release_questions(assignment)
        answers: dict[str, dict[str, Answer]] = {}
        for submission in mine:
            notebook = submission.directory / name
            if not notebook.is_file():
                skipped[str(notebook)] = f"{notebook}: missing (expected the notebook {name})"
                continue
            try:
                found = extract(notebook, questions, submission.student)
            except SimilarityError as error:
                skipped[str(notebook)] = str(error)
                continue
            answers[submission.student] = {answer.question.grade_id: answer for answer in found}
        read[assignment] = len(answers)
        limits[assignment] = max(common_minimum, int(common_share * len(answers)))
        for question in questions:
            fingerprint_question([by_q[question.grade_id] for by_q in answers.values() if question.grade_id in by_q],
                                 question, limits[assignment])
        pairs.extend(pair_assignment(assignment, questions, answers, threshold))
    pairs.sort(key=lambda p: (-p.score, p.assignment, p.a, p.b))
    return Result(pairs, read, skipped, limits)


def to_json(result: Result) -> str:
    return json.dumps([pair.as_json() for pair in result.pairs], indent=2)


# --- report --------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #767676}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #767676;padding:.25rem .55rem;text-align:left;vertical-align:top}th{background:#ececec}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.caution{border-left:.4rem solid #8a5300;background:#fff8e6;padding:.6rem .9rem}
.sides{display:flex;gap:1rem;flex-wrap:wrap}.sides figure{flex:1 1 30rem;margin:0;min-width:0}
figcaption{font-weight:600}pre{background:#f6f6f6;border:1px solid #767676;padding:.5rem;overflow-x:auto;white-space:pre-wrap;font-size:.85rem}
mark{background:#ffe066;color:#000}a{color:#0645ad}
"""


def _highlight_code(answer: Answer, slices) -> str:
    from copydetect.utils import highlight_overlap

    if slices is None or len(slices) == 0 or np.size(slices) == 0:
        return html.escape(answer.text)
    marked, _ = highlight_overlap(answer.text, np.asarray(slices), "<mark>", "</mark>", escape_html=True)
    return marked


def _highlight_written(answer: Answer, shared: set | None) -> str:
    """The response with every run of words that belongs to a shared trigram marked (all text HTML-escaped)."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(answer.text)]
    tokens = [answer.text[start:end].lower() for start, end in spans]
    marked = [False] * len(spans)
    for i in range(len(tokens) - WORD_NGRAM + 1):
        if shared and tuple(tokens[i:i + WORD_NGRAM]) in shared:
            marked[i:i + WORD_NGRAM] = [True] * WORD_NGRAM
    runs: list[list[int]] = []  # [start, end] character ranges of consecutive marked words
    for (start, end), is_marked, previous in zip(spans, marked, [False, *marked]):
        if is_marked and previous:
            runs[-1][1] = end
        elif is_marked:
            runs.append([start, end])
    out, position = [], 0
    for start, end in runs:
        out.append(html.escape(answer.text[position:start]))
        out.append(f"<mark>{html.escape(answer.text[start:end])}</mark>")
        position = end
    out.append(html.escape(answer.text[position:]))
    return "".join(out)


def render_html(result: Result, *, threshold: float, max_details: int = 100) -> str:
    e = html.escape
    assignments = ", ".join(sorted(result.submissions)) or "none"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Similarity report: {e(assignments)}</title><style>{CSS}</style></head><body><main>",
           f"<h1>Similarity report: {e(assignments)}</h1>",
           '<p class="caution"><strong>A high score is a reason to look, never proof of copying.</strong> Students who '
           "attend the same class often write the same code, and two students may have worked together as allowed. "
           "Read the answers side by side and talk to the students before you conclude anything.</p>",
           "<p>What is compared: only what students wrote in the answer cells (the starter code and every locked cell "
           "are removed). Code is compared with copydetect's winnowing fingerprints, in which names, strings, comments "
           "and layout do not count, so renaming variables or moving lines does not hide a copy. A passage that more "
           "than a few students wrote identically is treated as common and ignored. Written responses are compared by "
           "the share of three-word phrases they have in common (Jaccard index). A pair's score is the larger of the "
           "share of matching code and the most similar written response. <em>Answers compared</em> counts the questions "
           "both students answered with something of their own: a high score over one or two answers says less than "
           "over ten.</p>",
           f"<p>Submissions read: {e(', '.join(f'{a}: {n}' for a, n in sorted(result.submissions.items())) or 'none')}. "
           f"Pairs listed: those scoring at least {threshold:.2f}. Blank answers are never compared.</p>"]
    if result.skipped:
        out.append("<h2>Not read</h2><ul>")
        out.extend(f"<li>{e(path)}: {e(reason)}</li>" for path, reason in sorted(result.skipped.items()))
        out.append("</ul>")
    if not result.pairs:
        out.append("<p><strong>No pair reaches the threshold.</strong></p>")
    else:
        out.append("<table><caption>Pairs of submissions ranked by similarity score, highest first</caption><thead><tr>"
                   '<th scope="col">Rank</th><th scope="col">Assignment</th><th scope="col">Student A</th>'
                   '<th scope="col">Student B</th><th scope="col">Score</th><th scope="col">Answers compared</th>'
                   '<th scope="col">Most similar answers</th>'
                   "</tr></thead><tbody>")
        for rank, pair in enumerate(result.pairs, 1):
            top = sorted(pair.matches, key=lambda m: -m.score)[:3]
            link = f'<a href="#pair-{rank}">{rank}</a>' if rank <= max_details else str(rank)
            out.append(f'<tr><td class="num">{link}</td><td>{e(pair.assignment)}</td><td>{e(pair.a)}</td>'
                       f'<td>{e(pair.b)}</td><td class="num">{pair.score:.2f}</td><td class="num">{pair.compared}</td>'
                       f"<td>{e(', '.join(f'{m.question.grade_id} ({m.score:.2f})' for m in top))}</td></tr>")
        out.append("</tbody></table>")
        if len(result.pairs) > max_details:
            out.append(f"<p>Side-by-side answers are shown for the first {max_details} pairs.</p>")
    for rank, pair in enumerate(result.pairs[:max_details], 1):
        out.append(f'<section aria-labelledby="pair-{rank}"><h2 id="pair-{rank}">{rank}. {e(pair.a)} and {e(pair.b)}, '
                   f"{e(pair.assignment)}: score {pair.score:.2f}</h2>")
        out.append("<p>Highlighted: the parts both answers share.</p>")
        for match in pair.matches:
            kind = "code" if match.question.kind == "code" else "written response"
            out.append(f"<h3>{e(match.question.grade_id)} ({kind}): {match.score:.2f}</h3><div class=\"sides\">")
            for answer, slices in ((match.a, match.slices[0]), (match.b, match.slices[1])):
                body = (_highlight_code(answer, slices) if match.question.kind == "code"
                        else _highlight_written(answer, slices))
                out.append(f"<figure><figcaption>{e(answer.student)}</figcaption><pre><code>{body}</code></pre></figure>")
            out.append("</div>")
        out.append("</section>")
    out.append(f'<p class="note">Written by <code>course similarity</code> on {e(time.strftime("%Y-%m-%d %H:%M"))}.</p>')
    out.append("</main></body></html>")
    return "\n".join(out)


def write_similarity_report(result: Result, path: Path, *, threshold: float = DEFAULT_THRESHOLD) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(result, threshold=threshold), encoding="utf-8")
    return path
