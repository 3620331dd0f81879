"""Write the framework out as a data-dictionary CSV."""

import csv
from typing import TextIO

from standards.models import FrameworkVersion
from standards.selectors import DATA_DICTIONARY_COLUMNS, data_dictionary_rows


def write_data_dictionary(version: FrameworkVersion, out: TextIO) -> int:
    """Write `version` as CSV to `out`; return the number of rows written."""
    rows = data_dictionary_rows(version=version)
    writer = csv.DictWriter(out, fieldnames=DATA_DICTIONARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def data_dictionary_filename(version: FrameworkVersion) -> str:
    return f"{version.framework}-{version.version}-data-dictionary.csv"
