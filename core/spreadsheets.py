"""Text written to a file that a spreadsheet opens (CSV, XLSX), with formulas neutralised.

A spreadsheet takes a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) for a formula: a lab name such as ``=HYPERLINK(...)`` typed in the
back-office would run in the hands of whoever opens an export. Every export writes its text
through :func:`neutralize`, which puts a single quote before such a value, as spreadsheets
themselves do for text typed with a leading quote; numbers are written as numbers.

The quote is also put before a text that already starts with one, so that :func:`restore`
(used by the imports) gives back exactly what was exported: importing an export changes
nothing.
"""

# A line break is quoted too: files read back turn a carriage return into one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"


def neutralize(value):
    """``value`` safe as a spreadsheet cell: a text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def restore(value):
    """The text :func:`neutralize` was given: the quote it added is taken off."""
    if isinstance(value, str) and value[:1] == QUOTE and value[1:2] in (*FORMULA_STARTS, QUOTE):
        return value[1:]
    return value
