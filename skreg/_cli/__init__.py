"""The command line ``python -m skreg``, one idea per module.

- ``errors``: :class:`~skreg._cli.errors.UsageError`, a user mistake.
- ``data``: the digits split, and reading a user's CSV file into a ``Dataset``.
- ``models``: the five configurations and how they are trained and measured.
- ``report``: the table and the chart of the results.
- ``arguments``: the options, their help text and the checks between them.
- ``main``: runs the comparison the options ask for.
"""
