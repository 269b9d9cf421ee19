"""bladi-tui's performance benchmark: ``python -m benchmarks`` (or ``python benchmarks/run.py``).

It generates its own data (stores of 0, 10,000 and 100,000 articles, a sidebar of 10,000 tags,
50 feeds of 100 items served on loopback), drives the real app in a real terminal (tmux) and
times ``bladi-tui fetch`` against ``newsboat -x reload``. Nothing here touches the network, and
nothing here is part of the test run. See BENCHMARKS.md for the figures and how to read them.
"""
