r"""The file does not parse.

A file that does not parse cannot be pushed, and no other rule can look into it. The message
names what the parser found and what it expected at that line and column. Binary files, invalid
UTF-8 and empty files are reported the same way, and so are the conflict markers a merge leaves
where both sides changed the same lines (``<<<<<<<``, ``=======``, ``>>>>>>>``, by ``xanoctl
pull`` or git), even inside a triple-quoted text.

Bad::

    function "Utils/Sign" {
      input {
        int n
      }
      stack {
        var $sign { value = 0 }
        conditional {
          if ($input.n > 0) {
            var.update $sign { value = 1 }
          }
          else if ($input.n < 0) {
            var.update $sign { value = -1 }
          }
        }
      }
      response = $sign
    }

Good::

    function "Utils/Sign" {
      input {
        int n
      }
      stack {
        var $sign { value = 0 }
        conditional {
          if ($input.n > 0) {
            var.update $sign { value = 1 }
          }
          elseif ($input.n < 0) {
            var.update $sign { value = -1 }
          }
        }
      }
      response = $sign
    }
"""

CODE = "XS001"
NAME = "syntax-error"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "syntax"
