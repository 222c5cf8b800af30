"""``clerk bench``: how fast Clerk answers, and how that holds as a firm grows.

One run seeds (or reuses) a small and a large synthetic firm, serves each with a real
``clerk run`` subprocess against a local Slack stand-in, and measures what a lawyer feels:
the acknowledgement and the reply of each slash command, next to a bare bolt app that only
acknowledges; then each morning job's build time against the same selection in plain SQL,
the serving process's memory and start-up time, and the date engine against dateparser.
``docs/PERFORMANCE.md`` says how to read the figures.
"""
