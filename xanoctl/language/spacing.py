"""Spacing that Xano does not keep: when two XanoScript texts are the same object.

Xano stores an object, not the text it was sent: the Metadata API answers XanoScript that Xano
renders from the object (an object it "cannot render" comes back with an error instead of text),
two-space indented, without a final newline, its own blank lines indented to the block's depth
(real exports hold thousands of such lines: `}` then `  ` then `else {`). The official CLI trims
every document it reads or writes, and takes two documents as the same when they are equal once
trimmed (xano-inc/cli, `readDocuments` and `selectWritebacks` in `src/utils/multidoc-push.ts`).

So a file that differs from the object's text only in

- its line endings (CRLF for LF),
- white space at the end of lines (an editor trimming it, or Xano's indented blank lines),
- blank lines or white space before the first line or after the last (the final newline an
  editor or pre-commit's `end-of-file-fixer` adds),

holds the same object (:func:`same`): status, diff and push do not count it as a change. What is
inside a line (indentation, the spaces between words, which may be inside a string) and blank
lines between statements stay changes. ``compare --ignore-whitespace`` goes further and leaves
out all spacing and every blank line (:func:`lines` with ``within=True``).
"""

from __future__ import annotations


def lines(text: str, *, within: bool = False) -> list[str]:
    """The lines of ``text`` without the spacing Xano does not keep; ``within``: also without
    the spacing inside lines and without blank lines (the looser comparison of ``compare``)."""
    if within:
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    out = [line.rstrip() for line in text.split("\n")]
    start, end = 0, len(out)
    while start < end and not out[start]:
        start += 1
    while end > start and not out[end - 1]:
        end -= 1
    return out[start:end]


def same(a: bytes, b: bytes) -> bool:
    """Whether two files hold the same object, spacing Xano does not keep aside (see the module
    doc). Bytes that are not UTF-8 text are the same only when equal."""
    if a == b:
        return True
    try:
        return lines(a.decode("utf-8")) == lines(b.decode("utf-8"))
    except UnicodeDecodeError:
        return False
