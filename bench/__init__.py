"""`make bench`: the numbers that say whether wijkkompas is fast enough.

Every time figure is measured next to a baseline in the same run and reported as
a ratio, because the machines this runs on (2 cores, shared, noisy) make absolute
milliseconds meaningless from one day to the next. One module per figure; the
`__main__` module runs them all and prints one Markdown table (and JSON with
`--json FILE`). Run `python -m bench --help` for the options.
"""
