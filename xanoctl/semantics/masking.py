"""Showing text that may hold a credential: no report prints more than the first four
characters of one (light: the reports import it, without the language model)."""

from __future__ import annotations

import re

SHOWN = 4  # characters of a secret any report may show
# tokens whose prefix alone says what they are (issuers' documented formats)
PREFIXED = re.compile(
    r"(?<![A-Za-z0-9_])(?:"
    r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"  # Stripe secret and restricted keys
    r"|whsec_[A-Za-z0-9]{16,}"  # Stripe webhook signing secret
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|xapp-[A-Za-z0-9-]{10,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"  # GitHub
    r"|glpat-[A-Za-z0-9_-]{20,}"  # GitLab
    r"|(?:AKIA|ASIA)[A-Z0-9]{16}"  # AWS access key id
    r"|AIza[A-Za-z0-9_-]{35}"  # Google API key
    r"|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"  # OpenAI, Anthropic
    r"|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"  # SendGrid
    r"|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"  # Shopify
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"  # a signed JWT
    r")")
SCHEME = re.compile(r"\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{12,})")


def masked(secret: str) -> str:
    """``secret`` with every character after the first four replaced by ``*`` (same length,
    so that columns and carets stay in place)."""
    return secret[:SHOWN] + "*" * max(len(secret) - SHOWN, 0)


def mask_text(text: str) -> str:
    """``text`` with every token of a known format and every bearer or basic token masked: for
    text that cannot be analysed (a line of a file that does not parse, a message)."""
    if not text:
        return text
    text = PREFIXED.sub(lambda m: masked(m.group(0)), text)
    return SCHEME.sub(lambda m: f"{m.group(1)} {masked(m.group(2))}", text)


def mask_line(line: str, number: int, spans) -> str:
    """Line ``number`` (1-based) of a file with the secrets at ``spans`` ((line, column,
    end_line, end_column), as reported) masked past their first four characters, then
    :func:`mask_text`: what any report may print of that line."""
    for first, column, last, end in spans:
        if not first <= number <= last:
            continue
        start = column - 1 + SHOWN if number == first else 0
        stop = end - 1 if number == last else len(line)
        if stop > start:
            line = line[:start] + "*" * (min(stop, len(line)) - start) + line[stop:]
    return mask_text(line)
