"""A tiny project with a console script, for installing with pip offline.

Its build backend is a file inside the project (PEP 517's `backend-path`)
and needs nothing installed, so that pip builds and installs it, editable
or not, with no index and no setuptools.
"""

import subprocess
import sys
import textwrap

NAME = "tinyproject_pkg"
DISTRIBUTION = "tinyproject-pkg"
SCRIPT = "tinyproject-cmd"

BACKEND = textwrap.dedent('''
    import base64, hashlib, os, zipfile

    DIST = "tinyproject_pkg-1.0"
    FILES = {
        DIST + ".dist-info/METADATA": "Metadata-Version: 2.1\\nName: tinyproject-pkg\\nVersion: 1.0\\n",
        DIST + ".dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: backend\\n"
                                   "Root-Is-Purelib: true\\nTag: py3-none-any\\n",
        DIST + ".dist-info/entry_points.txt":
            "[console_scripts]\\ntinyproject-cmd = tinyproject_pkg:main\\n",
    }

    def _wheel(directory, files):
        files = {name: data.encode() for name, data in {**FILES, **files}.items()}
        record = []
        for name, data in files.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{name},sha256={digest.decode()},{len(data)}")
        record.append(DIST + ".dist-info/RECORD,,")
        files[DIST + ".dist-info/RECORD"] = ("\\n".join(record) + "\\n").encode()
        wheel = DIST + "-py3-none-any.whl"
        with zipfile.ZipFile(os.path.join(directory, wheel), "w") as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return wheel

    def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
        with open("tinyproject_pkg/__init__.py") as source:
            return _wheel(wheel_directory, {"tinyproject_pkg/__init__.py": source.read()})

    def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
        return _wheel(wheel_directory, {"tinyproject_pkg.pth": os.getcwd() + "\\n"})
''')

PYPROJECT = textwrap.dedent('''
    [build-system]
    requires = []
    build-backend = "backend"
    backend-path = ["."]
''')


def source(greeting):
    """The package: its console script prints the greeting, its arguments, and where it
    runs (the environment, relative to its parent folder, and the implementation)."""
    return textwrap.dedent(f'''
        import os, sys

        def main():
            print({greeting!r}, sys.argv[1:], os.path.basename(sys.prefix),
                  "impl=" + sys.implementation.name)
    ''')


def make(directory, greeting="hello"):
    (directory / NAME).mkdir(parents=True)
    (directory / "pyproject.toml").write_text(PYPROJECT)
    (directory / "backend.py").write_text(BACKEND)
    (directory / NAME / "__init__.py").write_text(source(greeting))
    return directory


def build_wheel(project, wheel_directory):
    """Build the project's wheel with the host interpreter; return its path."""
    wheel_directory.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", "import backend, sys; print(backend.build_wheel(sys.argv[1]))",
         str(wheel_directory)], cwd=project, capture_output=True, text=True, check=True)
    return wheel_directory / done.stdout.strip()
