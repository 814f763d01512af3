"""The project's one way to turn HTML into a PDF (WeasyPrint), shared by every PDF download.

The HTML is a template extending ``pdf/base.html`` (A4, page numbers, the association's name in the
footer, the shared type and table styles). WeasyPrint is imported when a PDF is made, so loading a
module that offers a PDF costs nothing.
"""

from __future__ import annotations


def pdf_bytes(html: str) -> bytes:
    """The PDF of a complete HTML document (its CSS inline, images as data: URIs)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
