"""Nothing here is a test: these are submissions for the grader (some loop forever on purpose).

Keeps ``pytest --nbval`` (and plain collection) from ever running them directly.
"""

collect_ignore_glob = ["*"]
