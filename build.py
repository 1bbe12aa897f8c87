"""Build the course: `python build.py` reads ./content and writes ./_site.

A thin entry point to the same command line as the installed `gradsite` command;
`python build.py --help` lists the flags.
"""

if __name__ == "__main__":
    # Imported here, not above: worker processes re-import this file as
    # __mp_main__, and must not pay for (or hold) the builder's modules.
    from gradsite.cli import entry

    entry()
