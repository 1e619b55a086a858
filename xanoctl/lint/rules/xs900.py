r"""A suppression comment that silences nothing, or that cannot be read.

`// xanoctl: ignore[CODE] reason` on the line above a statement silences that rule's findings
on the statement (nested lines included). Once the finding is fixed the comment should go, or
it will hide the next real problem on that statement; a comment naming an unknown code, or
written another way, silences nothing and is reported too, as is one that a blank line
separates from the statement below (it covers nothing: a comment left above a blank line must not
silence whatever is written below it later). Suppressions of rules that are switched off
(select, ignore, per-path ignores) are not reported.

Bad::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        // xanoctl: ignore[FP003] the count is read from the envelope
        var $double { value = $input.n * 2 }
      }
      response = $double
    }

Good::

    function "Utils/Double" {
      input {
        int n
      }
      stack {
        var $double { value = $input.n * 2 }
      }
      response = $double
    }
"""

CODE = "XS900"
NAME = "unused-suppression"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "engine"
FIX = ("safe", "removes the comment, or the codes in it that silence nothing (an unknown code: the closest, unsafe)")
