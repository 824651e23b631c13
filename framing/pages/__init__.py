"""The HTML pages framing writes, all in one look (``theme``): the teaching view (``highlight``), the lesson's
helpers (``lesson``) and the report's index (``index``).

Pages only render what an analysis holds: they use ``framing.views``, ``framing.compare`` and the like, never
the report or the command line, which run analyses and write files.
"""
