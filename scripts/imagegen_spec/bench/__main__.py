"""`python -m imagegen_spec.bench`: see imagegen_spec.bench.cli."""

import sys

from imagegen_spec.bench.cli import main

sys.exit(main())
