"""The one exception of the command line: a user mistake, shown without a traceback."""


class UsageError(Exception):
    """A mistake in the command line or the data file, reported without a traceback."""
