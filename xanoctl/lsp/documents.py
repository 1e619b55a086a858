"""What the server knows of one text: an editor's open buffer, or a file as it is on disk."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from xanoctl.lsp.positions import split


class Text:
    """A text of a file (``path``, absolute), at a ``version`` (the editor's; None on disk)."""

    def __init__(self, path: str, text: str, version: int | None = None):
        self.path = path
        self.text = text
        self.version = version

    @cached_property
    def lines(self) -> list[str]:
        return split(self.text)

    @cached_property
    def data(self) -> bytes:
        return self.text.encode("utf-8", errors="surrogatepass")

    @cached_property
    def models(self) -> list | None:
        """The parsed documents of the text; None when it does not parse."""
        from xanoctl.errors import XanoSyntaxError
        from xanoctl.language.parser import parse_documents

        try:
            return parse_documents(self.text, self.path)
        except (XanoSyntaxError, RecursionError, ValueError):
            return None

    def model_at(self, line: int):
        """The parsed document holding ``line`` (1-based), if the text parses."""
        models = self.models or []
        for doc in models:
            if doc.pos.line <= line <= doc.pos.end_line:
                return doc
        return models[0] if len(models) == 1 else None

    @classmethod
    def read(cls, path: str) -> Text | None:
        """The file as it is on disk; None when it cannot be read as text."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        try:
            return cls(path, data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return cls(path, data.decode("utf-8", errors="replace"))
