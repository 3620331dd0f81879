"""Importing the case sample: every bad row reported with its reason; nothing stored if any is."""

import csv
import datetime

import pytest

from inspection.case_refs import CASE_REF_RULE
from inspection.models import Case
from inspection.sample_import import read_sample
from inspection.services import case_sample_import

HEADER = (
    "case_ref,provider,gender,date_of_birth,age,ethnicity,supervision,sentence_date,"
    "release_date,ogrs,rosh,mappa,ldu\n"
)
GOOD = HEADER + (
    "D001,CRC,Male,1985-03-02,,White,community,2018-01-15,,45,Medium,no,Durham North\n"
    "D002,NPS,Female,,27,Black,post-custody,,02/02/2018,80,High,yes,Durham South\n"
    "D003,crc,,,,,,,,,,,\n"
)


def errors(text: str, **kwargs) -> list[str]:
    return [str(e) for e in read_sample(text.encode("utf-8"), **kwargs).errors]


def test_it_reads_a_good_file():
    sample = read_sample(GOOD.encode("utf-8"))

    assert sample.errors == []
    first, second, third = sample.rows
    assert first["age"] == 32  # on 15 January 2018, born 2 March 1985
    assert first["supervision"] == "community" and first["mappa"] is False
    assert second["release_date"] == datetime.date(2018, 2, 2)
    assert second["rosh"] == "high" and second["mappa"] is True and second["age"] == 27
    assert third == {**third, "provider": "crc", "gender": "", "age": None, "mappa": None}


def test_it_reports_every_bad_row_with_its_column_and_reason():
    text = HEADER + (
        "D001,CRC,Male,1985-03-02,,White,community,2018-01-15,,45,Medium,no,\n"
        "D002,Probation,Man,,17,Purple,custody,,31/31/2018,120,Severe,maybe,\n"
        "D003,NPS,Female,1990-01-01,40,White,community,2018-01-15,,,,,\n"
        ",NPS,,,,,,,,,,,\n"
        "D001,NPS,,,,,,,,,,,\n"
    )

    assert errors(text) == [
        "Row 3, column provider: 'Probation' is not one of CRC or NPS.",
        "Row 3, column gender: 'Man' is not one of Male or Female.",
        "Row 3, column ethnicity: 'Purple' is not one of White, Black, Asian, Mixed or Other.",
        "Row 3, column supervision: 'custody' is not one of community or post-custody.",
        "Row 3, column rosh: 'Severe' is not one of Low, Medium, High or Very high.",
        "Row 3, column mappa: 'maybe' is not one of yes or no.",
        "Row 3, column release_date: '31/31/2018' is not a date: use YYYY-MM-DD or DD/MM/YYYY.",
        "Row 3, column ogrs: '120' is not a score from 0 to 99.",
        "Row 3, column age: '17' is not an adult's age in years.",
        "Row 4, column age: 40 does not match the date of birth (28 at the start of the order or"
        " licence).",
        "Row 5, column case_ref: Enter the case reference.",
        "Row 6, column case_ref: D001 is also on row 2.",
    ]


def test_it_refuses_files_it_cannot_read():
    assert errors("") == ["The file is empty: the first row must name the columns."]
    assert errors(HEADER) == ["The file holds no cases."]
    assert errors("case_ref,colour\nD1,red\n") == [
        "Row 1: Unknown column(s): colour. The columns are: case_ref, provider, gender, "
        "date_of_birth, age, ethnicity, supervision, sentence_date, release_date, ogrs, rosh, "
        "mappa, ldu."
    ]
    assert errors("provider\nCRC\n") == ["Row 1: The column case_ref is missing."]
    assert (
        read_sample("case_ref\nD1\n".encode("utf-16"))
        .errors[0]
        .message.startswith("The file is not UTF-8 text")
    )
    assert errors("case_ref\nD1,extra\n") == ["Row 2: The row has more cells than the header."]


def test_it_accepts_a_spreadsheet_export_with_a_byte_order_mark_and_blank_lines():
    sample = read_sample(("\ufeff" + GOOD + ",,,,,,,,,,,,\n\n").encode("utf-8"))

    assert sample.errors == []
    assert len(sample.rows) == 3


def test_a_case_already_in_the_sample_is_refused():
    assert errors(GOOD, existing_refs={"D002"}) == [
        "Row 3, column case_ref: D002 is already in the sample."
    ]


@pytest.mark.django_db
def test_a_good_file_adds_every_case(inspection):
    sample = case_sample_import(inspection=inspection, data=GOOD.encode("utf-8"))

    assert sample.errors == []
    assert list(inspection.cases.values_list("case_ref", "provider", "age")) == [
        ("D001", "crc", 32), ("D002", "nps", 27), ("D003", "crc", None),
    ]  # fmt: skip


@pytest.mark.django_db
def test_one_bad_row_means_nothing_is_imported(inspection):
    text = GOOD + "D004,CRC,Male,,,,,,,999,,,\n"

    sample = case_sample_import(inspection=inspection, data=text.encode("utf-8"))

    assert [str(e) for e in sample.errors] == [
        "Row 5, column ogrs: '999' is not a score from 0 to 99."
    ]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing_the_second_time(inspection):
    case_sample_import(inspection=inspection, data=GOOD.encode("utf-8"))

    sample = case_sample_import(inspection=inspection, data=GOOD.encode("utf-8"))

    assert len(sample.errors) == 3
    assert inspection.cases.count() == 3


def test_faults_of_the_whole_file_name_no_row():
    not_utf8 = read_sample("case_ref\nD1\n".encode("utf-16")).errors
    nul = read_sample(b"case_ref\nD\x001\n").errors
    too_big = read_sample(b"case_ref\n" + b"D1\n" * 700_000).errors

    for found in (not_utf8, nul, too_big):
        assert len(found) == 1 and found[0].row is None
        assert not str(found[0]).startswith("Row")
    assert str(not_utf8[0]) == "The file is not UTF-8 text: save it as CSV UTF-8 and try again."
    assert str(nul[0]) == "The file holds NUL bytes: it is not a CSV file."


def test_a_cell_longer_than_the_csv_limit_is_named_by_row_and_column():
    long = "x" * (csv.field_size_limit() + 1)
    text = HEADER + "D001,CRC,,,,,,,,,,," + long + "\nD002,Probation,,,,,,,,,,,\n"

    assert errors(text) == [
        f"Row 2, column ldu: The cell is longer than {csv.field_size_limit():,} characters, "
        "more than any column takes.",
        "Row 3, column provider: 'Probation' is not one of CRC or NPS.",
    ]


def test_a_quoted_cell_too_long_to_end_stops_the_reading_there():
    long = "x\n" * csv.field_size_limit()
    text = 'case_ref,ldu\nD1,"' + long + '"\nD2,\n'

    assert errors(text) == [
        f"Row 2, column ldu: The cell is longer than {csv.field_size_limit():,} characters, "
        "more than any column takes.",
        "Row 2: The rest of the file was not read.",
    ]


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    text = 'case_ref,ldu\nD1,"two\nlines"\n\nD2,North\nD 3 !,\n'

    assert errors(text) == [
        "Row 5, column case_ref: " + CASE_REF_RULE,
    ]
