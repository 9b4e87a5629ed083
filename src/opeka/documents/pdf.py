"""PDF layout shared by the documents: A4, DejaVu Sans (Cyrillic), headings, tables, signatures.

The fonts are Debian's fonts-dejavu-core files ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``,
looked up in ``OPEKA_PDF_FONT_DIR`` (default ``/usr/share/fonts/truetype/dejavu``); a missing
file is :class:`~opeka.documents.errors.FontMissing` with a one-line message naming it.
Dates are shown as ДД.ММ.ГГГГ, times in Moscow time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from opeka.documents.errors import FontMissing
from opeka.requests.clock import MOSCOW

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
GREY = (90, 90, 90)


def ru_date(day: dt.date) -> str:
    """``24.11.2026``."""
    return day.strftime("%d.%m.%Y")


def ru_day(moment: dt.datetime) -> str:
    """The Moscow date of a timezone-aware moment, ``24.11.2026``."""
    return ru_date(moment.astimezone(MOSCOW).date())


def ru_moment(moment: dt.datetime) -> str:
    """``24.11.2026 14:05 МСК`` (a timezone-aware moment, shown in Moscow time)."""
    return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M МСК")


def font_files(font_dir: Path) -> tuple[Path, Path]:
    """The regular and bold font files, or :class:`FontMissing` naming the first one absent."""
    files = (font_dir / REGULAR, font_dir / BOLD)
    for path in files:
        if not path.is_file():
            raise FontMissing(
                f"PDF font {path} not found: install fonts-dejavu-core or set OPEKA_PDF_FONT_DIR",
                message_ru=(
                    f"шрифт для PDF {path} не найден: установите fonts-dejavu-core "
                    "или укажите OPEKA_PDF_FONT_DIR"
                ),
            )
    return files


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text}   стр. {self.page_no()} / {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


class PdfDocument:
    """A document being laid out; :meth:`output` returns its bytes."""

    def __init__(self, *, title: str, footer: str, font_dir: Path = DEFAULT_FONT_DIR) -> None:
        regular, bold = font_files(font_dir)
        self.pdf = _Pdf(format="A4")
        self.pdf.footer_text = footer
        self.pdf.set_title(title)
        self.pdf.set_creator("Opeka")
        self.pdf.set_lang("ru")
        self.pdf.add_font(FAMILY, "", str(regular))
        self.pdf.add_font(FAMILY, "B", str(bold))
        self.pdf.set_margins(18, 16, 18)
        self.pdf.set_auto_page_break(auto=True, margin=16)
        self.pdf.add_page()

    def heading(self, text: str, *, english: str | None = None, size: int = 13) -> None:
        """A bold heading, with an optional smaller English line under it."""
        self.pdf.set_font(FAMILY, "B", size)
        self.pdf.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if english:
            self.note(english)
        self.pdf.ln(2)

    def note(self, text: str) -> None:
        """A small grey line (English subtitles, remarks)."""
        self.pdf.set_font(FAMILY, "", 8)
        self.pdf.set_text_color(*GREY)
        self.pdf.multi_cell(0, 4.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        """A paragraph of body text."""
        self.pdf.set_font(FAMILY, "B" if bold else "", 10)
        self.pdf.multi_cell(0, 5.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def fields(
        self, rows: Sequence[tuple[str, str]], *, widths: tuple[int, int] = (38, 62)
    ) -> None:
        """A two-column table of labels and values."""
        self.table((), rows, widths=widths)

    def table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[int],
        size: int = 9,
    ) -> None:
        """A table with bold headings (none if ``headings`` is empty); cells wrap."""
        self.pdf.set_font(FAMILY, "", size)
        with self.pdf.table(
            col_widths=tuple(widths),
            first_row_as_headings=bool(headings),
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            line_height=size * 0.5,
            padding=(0.8, 1.2),
            text_align="LEFT",
        ) as table:
            for row in [tuple(headings), *rows] if headings else rows:
                cells = table.row()
                for value in row:
                    cells.cell(value)
        self.pdf.ln(3)

    def signatures(self, lines: Sequence[str]) -> None:
        """Lines to sign by hand: ``label ____ (Ф.И.О.) ____ (подпись)``."""
        self.pdf.set_font(FAMILY, "", 10)
        for label in lines:
            self.pdf.ln(4)
            self.pdf.multi_cell(0, 5.2, label, new_x="LMARGIN", new_y="NEXT")
            self.pdf.ln(3)
            self.pdf.cell(0, 5, "_" * 28 + "   " + "_" * 24 + "   " + "_" * 16)
            self.pdf.ln(4)
            self.note(" " * 14 + "Ф.И.О." + " " * 44 + "должность" + " " * 30 + "подпись")

    def new_page(self) -> None:
        """Continue on a new page."""
        self.pdf.add_page()

    def output(self) -> bytes:
        """The PDF file's bytes."""
        return bytes(self.pdf.output())
