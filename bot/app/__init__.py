"""The application: the command line, one poll cycle and one reminder round (pipeline), the
scheduler, the document guard process, checks. It wires every other package together.

May import: anything in ``bot`` and ``parsers``.
"""
