"""Our filter names against the official list (``xanoctl/semantics/data/official_filters.json``):
every name Xano's language server and engine know must be known to us, so that FL001 never
calls a real filter unknown."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from xanoctl.semantics.filters import closest_filter, known_expression_filter, names


def official() -> dict:
    return json.loads(resources.files("xanoctl.semantics").joinpath("data/official_filters.json").read_text("utf-8"))


def test_the_official_list_says_where_it_comes_from():
    data = official()
    source = " ".join(data["_source"])
    assert "filterNames.js" in source and "xano-sdk/sdk" in source
    assert len(data["names"]) == len(set(data["names"])) > 300


def test_we_know_every_official_filter_name():
    missing = sorted(set(official()["names"]) - names().every)
    assert missing == []


@pytest.mark.parametrize("name", ["is_uuid", "sql_alias", "sql_esc", "text_escape", "text_unescape",
                                  "filter_false", "filter_zero", "lambda_map", "count_distinct"])
def test_the_newer_names_run_in_expressions(name):
    assert known_expression_filter(name)


def test_input_filters_are_no_expression_filters():
    # in the official list (input { text name filters=alphaOk }), not in an expression
    assert "alphaOk" in official()["names"] and not known_expression_filter("alphaOk")
    assert closest_filter("is_uid") == "is_uuid"
