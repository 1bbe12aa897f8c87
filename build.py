"""Build the course: `python build.py` reads ./content and writes ./_site.

A thin entry point to the same command line as the installed `gradsite` command;
`python build.py --help` lists the flags.
"""

import sys

from gradsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
