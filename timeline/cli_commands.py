"""Commands that ask questions of the state (asof, diff, retract, explain, check, graph, import-tally).

Each lives in a module of its own and is registered on the main group here.
"""
from timeline import cli_state  # noqa: F401
from timeline import cli_provenance  # noqa: F401
