"""The one base class of the errors a user can act on (a bad flag, file, spec or environment).

A command turns a `UserError` into one line, `imagegen <command>: error: <message>`, and exit
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """An error whose message tells the user what to change; never a bug in the tools."""
