import sys

from realsuites.runner import main

sys.exit(main())
