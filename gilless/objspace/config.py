"""The settings a guest world starts with: what the command line and environment asked for."""

from dataclasses import dataclass, field


@dataclass
class Config:
    argv: list = field(default_factory=lambda: [""])
    orig_argv: list = field(default_factory=list)
    # The directory put first on the guest path, or None for none (-P, -I).
    path0: str = None
    optimize: int = 0
    gil: bool = False
    inspect: bool = False
    interactive: bool = False
    isolated: bool = False
    ignore_environment: bool = False
    no_site: bool = False
    no_user_site: bool = False
    safe_path: bool = False
    dont_write_bytecode: bool = False
    # gilless's compile cache is its own directory, not __pycache__, so only
    # -B and GILLESS_CACHE=0 turn it off, not PYTHONDONTWRITEBYTECODE.
    use_code_cache: bool = True
    verbose: int = 0
    quiet: bool = False
    bytes_warning: int = 0
    dev_mode: bool = False
    unbuffered: bool = False
    warnoptions: list = field(default_factory=list)
    xoptions: dict = field(default_factory=dict)
    # Extra guest path entries (PYTHONPATH), placed after path0.
    pythonpath: list = field(default_factory=list)
