# Imported by dbg_stacks.py: the stack while a module runs, as the import system shows it.
import traceback
import warnings

print("import extract_stack:", [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}"
                                for frame in traceback.extract_stack()])
warnings.warn("from the imported module", stacklevel=2)
