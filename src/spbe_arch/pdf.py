"""HTML to PDF with WeasyPrint, offline: every resource outside the document is refused.

Reports and SOP documents carry their images as `data:` URLs; anything else a document
names (an `<img src>` or a stylesheet URL that came in with an OPD's data) would make the
machine that renders it fetch a URL of the data's choosing, from the server's network.
"""

from __future__ import annotations

from typing import Any


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, with only `data:` resources; WeasyPrint's import (it needs Pango)
    is left to the caller's error handling."""
    import weasyprint

    fetcher: Any
    if hasattr(weasyprint, "URLFetcher"):
        fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    else:  # WeasyPrint < 66
        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"external resource refused: {url}")
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
