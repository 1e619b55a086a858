"""Parsing XanoScript into the model (work in progress: the grammar lands shortly)."""

from __future__ import annotations

from xanoctl.model import Document


def parse_document(text: str, path: str = "") -> Document:  # pragma: no cover - placeholder
    raise NotImplementedError


def parse_documents(text: str, path: str = "") -> list[Document]:  # pragma: no cover
    raise NotImplementedError


def split_documents(text: str) -> list[tuple[int, str]]:  # pragma: no cover
    raise NotImplementedError


def read_source(path) -> str:  # pragma: no cover
    raise NotImplementedError
