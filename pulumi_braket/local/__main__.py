"""Run the local Braket service: ``python -m pulumi_braket.local serve``."""

import sys

from pulumi_braket.local.cli import main

sys.exit(main())
