"""Read a CSV file record by record, streamed, with every fault named by its row and column.

The case sample import and the assessment dataset import (reports) both read
their files here, so both take the same files and word faults the same way:
UTF-8 with or without a byte order mark, any line ending, rows numbered as a
spreadsheet shows them (the header is row 1; a cell holding line breaks is
still one row). A fault in the file as a whole (not UTF-8, NUL bytes) has no
row. A cell longer than Python's csv field limit is a fault of its row and
column, like any other bad cell, never an exception.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

NOT_UTF8 = "The file is not UTF-8 text: save it as CSV UTF-8 and try again."
HOLDS_NUL = "The file holds NUL bytes: it is not a CSV file."
NOT_READ_FURTHER = "The rest of the file was not read."


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row in the file, the header being row 1; None: the file as a whole
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class _HoldsNul(Exception):
    pass


class CsvRows:
    """The records of the CSV file `stream` (bytes), header first, as (row number, cells).

    Faults that stop or break the reading are given to `fault` as they are found; the
    records yielded are the ones that could be read.
    """

    def __init__(self, stream: BinaryIO, *, fault: Callable[[RowError], None]):
        self.fault = fault
        self.header: list[str] = []
        # newline="": csv sees line endings as they are, so a cell may hold them.
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self._lines_of_record: list[str] = []

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines())
        number = 0
        while True:
            self._lines_of_record.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                self.fault(RowError(None, "", NOT_UTF8))
                return
            except _HoldsNul:
                self.fault(RowError(None, "", HOLDS_NUL))
                return
            except csv.Error as error:
                number += 1
                if not self._too_long(number, error):
                    return
                continue
            number += 1
            if number == 1:
                self.header = [name.strip() for name in cells]
            yield number, cells

    def _lines(self) -> Iterator[str]:
        for line in self._text:
            if "\x00" in line:
                raise _HoldsNul
            self._lines_of_record.append(line)
            yield line

    def _too_long(self, number: int, error: csv.Error) -> bool:
        """Record the fault of row `number`; return whether the rows after it can be read."""
        limit = csv.field_size_limit()
        index, complete = _long_cell("".join(self._lines_of_record), limit)
        if index is None:  # not a cell too long: another fault the csv module found
            self.fault(RowError(number, "", f"The row is not valid CSV ({error})."))
        else:
            column = self.header[index] if index < len(self.header) else f"{index + 1}"
            message = f"The cell is longer than {limit:,} characters, more than any column takes."
            self.fault(RowError(number, column, message))
        if not complete:  # the csv module would take the rest of the cell for new rows
            self.fault(RowError(number, "", NOT_READ_FURTHER))
        return complete


def _long_cell(record: str, limit: int) -> tuple[int | None, bool]:
    """Return the index of the first cell of CSV `record` longer than `limit` (None if none),
    and whether the record ends outside quotes. Only read when the csv module has refused a
    record: it says that a field is too long, not which."""
    index = length = 0
    quoted, at_start, found = False, True, None
    position, size = 0, len(record)
    while position < size:
        char = record[position]
        position += 1
        if quoted:
            if char == '"':
                if record.startswith('"', position):
                    position += 1  # a doubled quote is one character of the cell
                else:
                    quoted = False
                    continue
        elif char == '"' and at_start:
            quoted, at_start = True, False
            continue
        elif char == ",":
            index, length, at_start = index + 1, 0, True
            continue
        elif char in "\r\n":
            continue
        at_start = False
        length += 1
        if length > limit and found is None:
            found = index
    return found, not quoted
