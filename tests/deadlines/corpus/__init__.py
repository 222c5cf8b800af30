"""A phrase corpus for ``/deadline`` with an oracle written from the rules, not from Clerk.

``oracle`` computes the due date from FRCP 6(a)/6(d) and ``holidays.US``; ``generate`` makes
the phrases; ``run`` drives them through the real command and sorts each into RIGHT, ASKED
or WRONG. Nothing here imports ``bot.dates``: a measuring instrument that shared the engine's
code would share its mistakes.
"""
