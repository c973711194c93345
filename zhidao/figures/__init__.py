"""Every figure of FIGURES.md, computed once (统计口径).

- periods.py: quarters and years; a week belongs to the period holding its Thursday, and a week
  that straddles two quarters is split into parts so that dated facts land by their date.
- facts.py: the facts behind the figures, read once for some assignments and days.
- live.py: one assignment's figures for any period (quarterly reports, term-end evaluation).
- models.py, refresh.py, signals.py, tasks.py: the summary rows behind the dashboard and the
  upward report, rebuilt for what changed after each commit, and nightly.
- summary.py: a subtree's totals and its breakdown rows, which add up to them.
- programme.py, upward.py: the upward statistical report's other figures and the report itself.
- statistics.py: the exchange and standardization statistics.
- definitions.py: the names, the 口径说明 texts and the rates (numerator, denominator, "—").
"""
