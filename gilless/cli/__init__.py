"""The `gilless` command: CPython's command line, running the guest world."""
