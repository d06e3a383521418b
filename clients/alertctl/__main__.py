"""`python -m clients.alertctl`: the same as the `alertctl` console script."""

from clients.alertctl.cli import main

if __name__ == "__main__":
    main()
