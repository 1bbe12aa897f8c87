"""Executing ``{python}`` cells and drawing ``plot`` blocks, isolated, cached and parallel.

The builder plans one job per chapter (plan.py), serves what it can from the
content-addressed cache (cache.py), and runs the rest in worker processes
forked from a warm server that has already imported numpy and matplotlib
(pool.py, worker.py). What crosses the process boundary is plain data
(jobs.py).
"""
