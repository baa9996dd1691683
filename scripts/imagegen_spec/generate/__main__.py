"""Entry point: `python -m imagegen_spec.generate`."""

import sys

from imagegen_spec.generate.cli import main

sys.exit(main())
