"""Hostile .xlsx files: each is built here, small on disk, and must be refused with exit code 2,
one exact message naming the file and the problem, and the store unchanged. The checks happen
before the expansion (the zip directory before inflating, the DOCTYPE before any entity, the
declared dimension and shared-strings count before any row), so memory and time are bounded by
construction; nothing here times anything."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from hrgraph.build.importers.apply import saved_imports
from hrgraph.build.importers.common import ImportFailed
from hrgraph.build.importers.xlsx import read_xlsx
from hrgraph.build.importers.xlsx_limits import XLSX_LIMITS, XlsxLimits
from hrgraph.build.pipeline import build
from hrgraph.cli.main import main
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreLocation

ROOT = Path(__file__).resolve().parents[1]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ERROR = "hrgraph: error: {}; the store is unchanged\n"

WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
    '<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
SHARED = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="3" uniqueCount="3">'
    "<si><t>Participant</t></si><si><r><t>Sig</t></r><r><t>nature</t></r></si>"
    "<si><t>Ratification</t></si></sst>"
)
ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>Kazakhstan</t></is></c>'
    '<c r="C3"><v>37089</v></c></row>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1 if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def sheet_xml(rows: str = ROWS, dimension: str = "A1:C3", prolog: str = "") -> str:
    return (
        (prolog or '<?xml version="1.0" encoding="UTF-8"?>')
        + f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{rows}'
        "</sheetData></worksheet>"
    )


def workbook(**replace: str | bytes) -> bytes:
    """A minimal valid workbook; keyword arguments replace a part (sheet, shared) by its text."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": replace.get("sheet", sheet_xml()),
        "xl/sharedStrings.xml": replace.get("shared", SHARED),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """The archive with ``part``'s uncompressed size in the central directory set to ``size``
    (what a forged zip declares; the data itself is unchanged)."""
    out = bytearray(data)
    start = 0
    while (start := out.find(b"PK\x01\x02", start)) >= 0:
        name_length = struct.unpack_from("<H", out, start + 28)[0]
        if out[start + 46 : start + 46 + name_length].decode() == part:
            struct.pack_into("<I", out, start + 24, size)
        start += 4
    return bytes(out)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx-limits") / "store"
    build(Settings(root=ROOT, store_path=path))
    return path


def refused(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes
) -> str:
    """Import ``data`` as ``name`` through the CLI; assert exit 2, the store unchanged, one line
    on stderr and nothing on stdout; return the message."""
    location = StoreLocation(store_path)
    before = (location.current(), sorted(p.name for p in (store_path / "generations").iterdir()))
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["import", "ratifications", str(path), "--treaty", "iccpr",
                 "--store", str(store_path), "--quiet"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    after = (location.current(), sorted(p.name for p in (store_path / "generations").iterdir()))
    assert after == before
    assert saved_imports(store_path) == []
    return captured.err


def test_the_minimal_workbook_the_hostile_ones_start_from_is_read(tmp_path: Path) -> None:
    path = tmp_path / "good.xlsx"
    path.write_bytes(workbook())
    header, rows = read_xlsx(path)
    assert header == ["Participant", "Signature", "Ratification"]
    assert list(rows) == [(3, ["Kazakhstan", None, 37089])]


def test_not_a_zip(store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(store_path, tmp_path, capsys, "plain.xlsx", b"Participant,Signature\n")
    assert err == ERROR.format(
        "plain.xlsx: not an .xlsx workbook (not a zip archive, or a truncated one)"
    )


def test_a_truncated_file(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = workbook()
    err = refused(store_path, tmp_path, capsys, "cut.xlsx", data[: len(data) // 2])
    assert err == ERROR.format(
        "cut.xlsx: not an .xlsx workbook (not a zip archive, or a truncated one)"
    )


def test_a_part_larger_than_it_declares(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the directory says 100 bytes; inflation stops there and the checksum does not match
    data = declare_size(workbook(), "xl/worksheets/sheet1.xml", 100)
    err = refused(store_path, tmp_path, capsys, "short.xlsx", data)
    assert err == ERROR.format(
        "short.xlsx: not a readable .xlsx workbook: the zip archive is corrupt or truncated "
        "(Bad CRC-32 for file 'xl/worksheets/sheet1.xml')"
    )


def test_a_zip_bomb_by_declared_size(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = declare_size(workbook(), "xl/worksheets/sheet1.xml", 3_000_000_000)
    err = refused(store_path, tmp_path, capsys, "declared.xlsx", data)
    assert err == ERROR.format(
        "declared.xlsx: refused: the part xl/worksheets/sheet1.xml declares 3,000,000,000 bytes "
        "uncompressed, over the limit of 268,435,456"
    )


def test_a_zip_bomb_by_compression_ratio(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    padding = " " * (4 * 1024 * 1024)  # 4 MiB of spaces: a few KB once deflated
    data = workbook(sheet=sheet_xml(rows=padding + ROWS))
    assert len(data) < 20_000
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    ratio = info.file_size // info.compress_size
    err = refused(store_path, tmp_path, capsys, "bomb.xlsx", data)
    assert err == ERROR.format(
        f"bomb.xlsx: refused: the part xl/worksheets/sheet1.xml is compressed {ratio:,}:1, "
        "over the limit of 100:1 (a zip bomb)"
    )


def test_the_total_uncompressed_size_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "total.xlsx"
    path.write_bytes(workbook())
    sizes = [info.file_size for info in zipfile.ZipFile(path).infolist()]
    with pytest.raises(ImportFailed) as caught:
        read_xlsx(path, XlsxLimits(max_total_bytes=sum(sizes) - 1))
    assert str(caught.value) == (
        f"total.xlsx: refused: the parts declare {sum(sizes):,} bytes uncompressed in all, "
        f"over the limit of {sum(sizes) - 1:,}"
    )


@pytest.mark.parametrize("part", ["sheet", "shared"])
def test_billion_laughs(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str
) -> None:
    if part == "sheet":
        data = workbook(sheet=sheet_xml(rows='<row r="1"><c><v>&lol9;</v></c></row>',
                                        prolog=LAUGHS))  # fmt: skip
        where = "xl/worksheets/sheet1.xml"
    else:
        data = workbook(shared=LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>')
        where = "xl/sharedStrings.xml"
    err = refused(store_path, tmp_path, capsys, "laughs.xlsx", data)
    assert err == ERROR.format(
        f"laughs.xlsx: refused: {where} has a DOCTYPE declaration (DTDs and entities are not "
        "allowed in .xlsx)"
    )


def test_a_huge_declared_dimension(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = workbook(sheet=sheet_xml(dimension="A1:XFD1048576"))
    assert len(data) < 2_000
    err = refused(store_path, tmp_path, capsys, "wide.xlsx", data)
    assert err == ERROR.format(
        "wide.xlsx: refused: the sheet declares the dimension A1:XFD1048576, 1,048,576 rows by "
        "16,384 columns, over the limit of 250,000 rows and 128 columns"
    )


def test_a_shared_strings_bomb_by_declared_count(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = SHARED.replace('count="3" uniqueCount="3"', 'count="50000000" uniqueCount="3"')
    err = refused(store_path, tmp_path, capsys, "strings.xlsx", workbook(shared=shared))
    assert err == ERROR.format(
        "strings.xlsx: refused: xl/sharedStrings.xml declares count='50000000' shared strings, "
        "over the limit of 1,000,000"
    )


def test_a_shared_strings_bomb_by_actual_count(tmp_path: Path) -> None:
    # no count declared; the strings themselves are counted as they are read
    shared = f'<sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * 11 + "</sst>"
    path = tmp_path / "many.xlsx"
    path.write_bytes(workbook(shared=shared))
    with pytest.raises(ImportFailed) as caught:
        read_xlsx(path, XlsxLimits(max_shared_strings=10))
    assert str(caught.value) == (
        "many.xlsx: refused: xl/sharedStrings.xml holds more than 10 shared strings"
    )


def test_actual_rows_columns_and_cell_text_are_bounded(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    far_row = ROWS + '<row r="250001"><c r="A250001"><v>1</v></c></row>'
    err = refused(store_path, tmp_path, capsys, "rows.xlsx", workbook(sheet=sheet_xml(far_row)))
    assert err == ERROR.format(
        "rows.xlsx: refused: the sheet has a row 250,001, over the limit of 250,000 rows"
    )
    far_column = ROWS + '<row r="4"><c r="XFD4"><v>1</v></c></row>'
    err = refused(store_path, tmp_path, capsys, "cols.xlsx", workbook(sheet=sheet_xml(far_column)))
    assert err == ERROR.format(
        "cols.xlsx: refused: the sheet has a cell in column 16,384, over the limit of 128 columns"
    )
    long_text = "x" * (XLSX_LIMITS.max_cell_chars + 1)
    long_cell = ROWS + f'<row r="4"><c r="A4" t="inlineStr"><is><t>{long_text}</t></is></c></row>'
    err = refused(store_path, tmp_path, capsys, "long.xlsx", workbook(sheet=sheet_xml(long_cell)))
    assert err == ERROR.format("long.xlsx: refused: the cell A4 holds more than 32,767 characters")
    long_string = SHARED.replace("<t>Participant</t>", f"<t>{long_text}</t>")
    err = refused(store_path, tmp_path, capsys, "longs.xlsx", workbook(shared=long_string))
    assert err == ERROR.format(
        "longs.xlsx: refused: xl/sharedStrings.xml: shared string 0 is longer than 32,767 "
        "characters"
    )


def test_malformed_xml(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c><v>1</v></row>'
    err = refused(store_path, tmp_path, capsys, "broken.xlsx", workbook(sheet=broken))
    column = broken.index("</row>") + 2  # expat's column of the tag name, counted from 0
    assert err == ERROR.format(
        "broken.xlsx: not a readable .xlsx workbook: xl/worksheets/sheet1.xml: malformed XML at "
        f"line 1, column {column}: mismatched tag"
    )


def test_the_zip_checks_come_before_any_inflation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb is refused from the zip directory alone: no part is ever opened."""
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: object, **kw: object):  # type: ignore[no-untyped-def]
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kw)  # type: ignore[arg-type]

    bombs = {
        "ratio.xlsx": workbook(sheet=sheet_xml(rows=" " * (4 * 1024 * 1024) + ROWS)),
        "declared.xlsx": declare_size(workbook(), "xl/sharedStrings.xml", 3_000_000_000),
        "good.xlsx": workbook(),
    }
    for name, data in bombs.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    for name in ("ratio.xlsx", "declared.xlsx"):
        with pytest.raises(ImportFailed, match="refused: the part"):
            read_xlsx(tmp_path / name)
    assert opened == []
    read_xlsx(tmp_path / "good.xlsx")
    assert opened[0] == "xl/workbook.xml"  # the spy does see parts when they are read


def test_the_declared_counts_are_checked_before_any_row(tmp_path: Path) -> None:
    """The dimension and the shared-strings count are refused by read_xlsx itself, before it
    returns the header or hands out a single row."""
    cases = {
        "wide.xlsx": workbook(sheet=sheet_xml(dimension="A1:XFD1048576")),
        "strings.xlsx": workbook(shared=SHARED.replace('count="3"', 'count="50000000"')),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImportFailed, match="refused"):
            read_xlsx(path)


def test_too_many_parts(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counted from the zip's end record, before zipfile reads the directory."""
    buffer = io.BytesIO(workbook())
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(XLSX_LIMITS.max_parts):
            archive.writestr(f"customXml/item{number}.xml", "")
    err = refused(store_path, tmp_path, capsys, "parts.xlsx", buffer.getvalue())
    assert err == ERROR.format(
        "parts.xlsx: refused: the zip archive has 1,005 entries, over the limit of 1,000"
    )
