"""`python -m gilless`: the same as the `gilless` command."""

from gilless.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
