# Warnings issued by C code (compile, int/str conversions) go through the guest's filters.
import warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    compile("x = '\\d'", "<source>", "exec")
    compile("x is 1", "<source>", "exec")
print([(w.category.__name__, str(w.message), w.filename, w.lineno) for w in caught])
compile("y = 1 is 1", "<shown>", "exec")
warnings.simplefilter("error")
try:
    compile("z = 'a' is 'a'", "<err>", "exec")
except SyntaxError as e:
    print("SyntaxError:", e)
