"""``python -m intyg``."""

import sys

try:
    from ._cli import main
except KeyboardInterrupt:  # Ctrl-C while the command line is still loading: nothing was done
    sys.stderr.write("Avbrutet.\n")
    raise SystemExit(130) from None

raise SystemExit(main())
