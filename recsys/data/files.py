"""Reading one data file as published: size, encoding and delimiter detected (and stated), every cell kept as text.

Cells are read as text and never reinterpreted here: ids stay labels byte for byte (only the
spaces around a cell are dropped) and the checks decide which columns are numbers. Only an
empty cell is missing; in number columns the usual spellings of "no value" (``NULL``, ``NA``,
``nan``, ``\\N``) are missing too (:data:`NO_NUMBER`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recsys.data.dataset import DataProblems, Problem

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: Rows reported for one kind of problem in one file; the rest are counted in one line.
MAX_ROWS_PER_PROBLEM = 10
#: Delimiters a CSV file may use; the one that splits the first lines most consistently wins.
DELIMITERS = (",", ";", "\t", "|")
#: How a number column may spell "no value" (compared case-insensitively).
NO_NUMBER = frozenset({"", "null", "na", "n/a", "nan", "none", "\\n", "-"})
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", "::": "'::'"}
# UTF-32's little-endian mark begins with UTF-16's: test it first.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


@dataclass
class Table:
    """One file read into a frame, able to say the spreadsheet row (see :class:`Problem`) of each position."""

    path: Path
    frame: pd.DataFrame
    #: The row number of each frame position (CSV and GroupLens files; parquet is numbered from 2).
    lines: np.ndarray | None = None
    #: Our column name → the name in the file, for files whose header uses other names.
    renamed: dict[str, str] = field(default_factory=dict)
    #: How the file was read, in words ("UTF-8, semicolon-separated").
    how: str = ""
    #: How a column was read when not plainly, in words ("rating: decimal commas, 3,5 read as 3.5").
    read_as: list[str] = field(default_factory=list)

    def row(self, position: int) -> int:
        if self.lines is None:
            self.lines = self._number_rows()
        return int(self.lines[position])

    def label(self, column: str | None) -> str | None:
        return self.renamed.get(column, column) if column is not None else None

    def _number_rows(self) -> np.ndarray:
        # Parquet: one row per line after the header, as a spreadsheet numbers it.
        return np.arange(len(self.frame), dtype=np.int64) + 2


class Report:
    """Collects every problem; one kind of problem on many rows is listed
    :data:`MAX_ROWS_PER_PROBLEM` times, then counted in one line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path | str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(str(path), message, row, column))

    def rows(self, table: Table, bad: np.ndarray | pd.Series, message: str | Callable[[int], str], column: str | None = None) -> None:
        """Report each row where ``bad`` is true; a callable ``message`` words it from the frame position."""
        positions = np.flatnonzero(np.asarray(bad, dtype=bool))
        for position in positions[:MAX_ROWS_PER_PROBLEM]:
            text = message(int(position)) if callable(message) else message
            self.add(table.path, text, table.row(int(position)), table.label(column))
        if len(positions) > MAX_ROWS_PER_PROBLEM:
            more = len(positions) - MAX_ROWS_PER_PROBLEM
            self.add(table.path, f"… and {more:,} more rows with the same problem", column=table.label(column))

    def raise_any(self) -> None:
        if self.problems:
            raise DataProblems(self.problems)


def fits(path: Path, report: Report) -> bool:
    """The file exists and is within :data:`MAX_UPLOAD_BYTES`."""
    if not path.is_file():
        report.add(path, "file not found")
        return False
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        report.add(path, f"file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
        return False
    return True


def first_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:160]


def encoding_name(encoding: str) -> str:
    """``"utf_8"`` → ``"UTF-8"``, ``"cp1252"`` → ``"cp1252"``: the name people know."""
    name = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "latin-1": "latin-1", "iso8859-1": "latin-1"}.get(
        name, name
    )


def decode(raw: bytes, path: Path, report: Report, pinned: str | None = None) -> tuple[str, str] | None:
    """The text of a file and the encoding it was read with: ``pinned`` (``catalogue.json``), a BOM,
    UTF-8, or else what charset-normalizer detects. ``None`` (reported) when nothing reads it."""
    if pinned:
        try:
            return raw.decode(pinned).removeprefix("\ufeff"), encoding_name(pinned)
        except (UnicodeDecodeError, LookupError) as err:
            if not isinstance(err, UnicodeDecodeError):
                report.add(path, f"{pinned} is not a text encoding (catalogue.json)")
                return None
            line = raw.count(b"\n", 0, err.start) + 1
            report.add(path, f"cannot be read as {pinned} (byte 0x{raw[err.start]:02x}), the encoding catalogue.json pins", row=line)
            return None
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding_name(encoding)
            except UnicodeDecodeError:
                break
    wide = utf16_without_bom(raw)
    if wide is not None:  # it decodes as UTF-8 too (a NUL is valid UTF-8), into text with a NUL after every letter
        try:
            return raw.decode(wide), f"UTF-16 {wide[-2:].upper()} without BOM"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    from charset_normalizer import from_bytes

    matches = from_bytes(raw[: 4 * 2**20])
    best = matches.best()
    if best is not None and best.encoding:
        encoding = _western(raw, best, list(matches))
        try:
            return raw.decode(encoding), encoding_name(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    line = raw.count(b"\n", 0, utf8_error.start) + 1
    report.add(
        path,
        f"the text encoding could not be detected (byte 0x{raw[utf8_error.start]:02x} is not UTF-8); "
        'save the file as UTF-8 or name its encoding in catalogue.json ("encoding": "cp1252")',
        row=line,
    )
    return None


def utf16_without_bom(raw: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` for UTF-16 text written without a byte-order mark, else ``None``: mostly
    Latin text, so one byte of each pair is 0 far more often than the other (a CSV's commas, digits and letters)."""
    sample = raw[: 2**16 - (len(raw[: 2**16]) % 2)]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0) / (len(sample) // 2), sample[1::2].count(0) / (len(sample) // 2)
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def _western(raw: bytes, best, matches: list) -> str:
    """The detector's pick, or cp1252 where cp1252 reads the bytes the same or ties with it (as little
    chaos, as coherent): on a few accented names (Søren, José) the Latin code pages tie, and cp1252 is
    what Windows and most Western exports write. Where cp1252 reads worse (Czech in cp1250, Russian in
    cp1251) the pick stands."""
    try:
        if raw.decode("cp1252") == raw.decode(best.encoding):
            return "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    tied = (
        m.chaos <= best.chaos + 1e-9 and m.coherence >= best.coherence - 1e-9 for m in matches if codecs.lookup(m.encoding).name == "cp1252"
    )
    return "cp1252" if any(tied) else best.encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of :data:`DELIMITERS` that splits the first lines into the same number of fields
    (more than one), most often; ties go to the one giving more fields, then to the comma."""
    lines = [line for line in text[: 2**16].splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not text[: 2**16].endswith("\n"):
        lines = lines[:-1]  # the last line may be cut short by the sample
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            counts = [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        key = (sum(c == counts[0] for c in counts), counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def delimiter_name(delimiter: str) -> str:
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))


def read_delimited(path: Path, sep: str, names: list[str], report: Report, encoding: str = "latin-1") -> Table | None:
    """Read a headerless GroupLens file; rows with too few fields are reported and left out."""
    if not fits(path, report):
        return None
    rows, numbers, found = [], [], []
    for number, line in enumerate(path.read_text(encoding=encoding).splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split(sep)
        rows.append((fields + [""] * len(names))[: len(names)])
        numbers.append(number)
        found.append(len(fields))
    if not rows:
        report.add(path, "file is empty")
        return None
    table = Table(path, pd.DataFrame(rows, columns=names), lines=np.asarray(numbers, dtype=np.int64))
    found = np.asarray(found)
    short = found < len(names)
    report.rows(table, short, lambda p: f"expected {len(names)} fields separated by {sep!r}, found {found[p]}")
    return Table(
        path, table.frame[~short].reset_index(drop=True), lines=table.lines[~short], how=f"{encoding}, {delimiter_name(sep)}-separated"
    )


def read_table(path: Path, report: Report, encoding: str | None = None, delimiter: str | None = None) -> Table | None:
    """A CSV or parquet table with every cell as text (``None`` for an empty cell; ids stay as written).

    A CSV's encoding and delimiter are detected unless pinned; rows with more or fewer fields
    than the header are reported by row.
    """
    if not fits(path, report):
        return None
    if path.suffix in {".parquet", ".brotli"}:
        try:
            frame = pd.read_parquet(path)
        except (ValueError, OSError) as err:
            report.add(path, f"cannot be parsed as a table ({first_line(err)})")
            return None
        return Table(path, _as_text(frame), how="parquet")
    decoded = decode(path.read_bytes(), path, report, encoding)
    if decoded is None:
        return None
    text, found_encoding = decoded
    sep = delimiter or sniff_delimiter(text)
    ragged: list[tuple[int, int]] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        report.add(path, "file is empty")
        return None
    except csv.Error as err:
        report.add(path, f"cannot be parsed as a table ({first_line(err)})", row=1)
        return None
    header = [h.strip() for h in header]
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        while True:
            start = reader.line_num + 1  # a quoted cell may span lines: a row is numbered by its first
            fields = next(reader, None)
            if fields is None:
                break
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                ragged.append((start, len(fields)))
                continue
            rows.append(fields)
            lines.append(start)
    except csv.Error as err:
        report.add(path, f"cannot be parsed as a table ({first_line(err)})", row=reader.line_num)
        return None
    for line, count in ragged[:MAX_ROWS_PER_PROBLEM]:
        report.add(path, f"{count} fields where the header has {len(header)} (separated by {delimiter_name(sep)})", row=line)
    if len(ragged) > MAX_ROWS_PER_PROBLEM:
        report.add(path, f"… and {len(ragged) - MAX_ROWS_PER_PROBLEM:,} more rows with the same problem")
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        report.add(path, f"the header names a column twice: {', '.join(twice)}")
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame = frame.apply(lambda column: column.str.strip().where(column.str.strip() != "", None)) if len(frame) else frame
    how = f"{found_encoding}, {delimiter_name(sep)}-separated"
    return Table(path, frame, lines=np.asarray(lines, dtype=np.int64), how=how)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A parquet frame with text cells as written, numbers as their plain spelling (``12``, not ``12.0``)."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_integer_dtype(values) or pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values):
            out[column] = [None if pd.isna(v) else _number_text(v) for v in values]
        else:
            out[column] = [_text_cell(v) for v in values]
    return out


def _text_cell(value: object) -> object:
    """A parquet cell as the CSV path reads one: stripped text, ``None`` when empty (lists stay lists)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _number_text(value: object) -> str:
    number = value.item() if hasattr(value, "item") else value
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)
