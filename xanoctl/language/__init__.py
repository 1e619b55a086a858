"""The language: XanoScript text to the typed model (grammar driver, parser, model builder, messages)."""
