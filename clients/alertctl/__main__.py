"""`python -m clients.alertctl`: the same as the `alertctl` console script."""

from clients.alertctl.cli import main

main()
