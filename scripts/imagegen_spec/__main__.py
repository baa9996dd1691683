"""`python -m imagegen_spec <command>`: the same as the `imagegen` console script."""

import sys

from imagegen_spec.cli import main

sys.exit(main())
