"""Executing ``{python}`` cells and drawing ``plot`` blocks, isolated, cached and parallel.

The execute stage takes the checked chapters. It plans one job per chapter and
keys every cell and plot (plan.py), serves what it can from the
content-addressed cache (gradsite/cache.py), and runs the rest in worker processes
forked from a warm server that has already imported numpy and matplotlib
(pool.py, worker.py, server.py), each tied to the builder's life. What a cell
prints is caught at file descriptors 1 and 2 (printed.py). What crosses the
process boundary is plain data (jobs.py). A chapter's process that, as it
starts, runs a script which starts a build, is refused one (starting.py).
"""
