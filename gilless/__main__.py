"""`python -m gilless`: the same as the `gilless` command."""

from gilless.base import startimage

if __name__ == "__main__":
    startimage.load()
    from gilless.cli.main import main
    raise SystemExit(main())
