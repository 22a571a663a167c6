# A script beside a module named as one of the standard library's: from 3.13 the
# AttributeError and ImportError say it may shadow it, when the module's directory
# is the program's sys.path[0] (the script's, the current directory's for -c and -m).
import os
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory() as directory:
    with open(os.path.join(directory, "fractions.py"), "w") as f:
        f.write("shadowing_module = True\n")
    with open(os.path.join(directory, "numpy.py"), "w") as f:
        f.write("import numpy\nnumpy.array\n")
    with open(os.path.join(directory, "main.py"), "w") as f:
        f.write("import fractions\n"
                "try:\n"
                "    fractions.Fraction\n"
                "except AttributeError as error:\n"
                "    print(error)\n"
                "try:\n"
                "    from fractions import Fraction\n"
                "except ImportError as error:\n"
                "    print(error)\n")

    def run(*arguments):
        completed = subprocess.run([sys.executable, *arguments], cwd=directory,
                                   capture_output=True, text=True)
        output = (completed.stdout + completed.stderr.splitlines()[-1:][0]
                  if completed.stderr else completed.stdout)
        print(arguments, completed.returncode, output.replace(directory, "DIR"))

    for arguments in (["main.py"], ["-c", "import main"], ["-m", "main"], ["-P", "main.py"],
                      ["-c", "import numpy"]):
        run(*arguments)
    # The error display's name suggestion imports the module that lacked the name:
    # the program's, not one of gilless's own path.
    with open(os.path.join(directory, "numpy.py"), "w") as f:
        f.write("from numpy import array\n")
    run("-c", "import numpy")
