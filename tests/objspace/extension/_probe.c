/* An extension module built by the tests with the host's compiler: it imports
   as C code does (PyImport_Import, and the host's import system as Cython's
   generated code does) and raises a Python class it imported. It declares no
   free-threading support, so a free-threaded host enables its GIL to load it. */
#include <Python.h>

static PyObject *errors_at_init;

/* PyImport_ImportModule, at run time: PyImport_Import. */
static PyObject *
raise_probe_error(PyObject *self, PyObject *message)
{
    PyObject *errors = PyImport_ImportModule("probepkg.errors");
    if (errors == NULL)
        return NULL;
    PyObject *cls = PyObject_GetAttrString(errors, "ProbeError");
    Py_DECREF(errors);
    if (cls == NULL)
        return NULL;
    PyErr_SetObject(cls, message);
    Py_DECREF(cls);
    return NULL;
}

/* `from probepkg import NAME` as Cython compiles it: the host's import system. */
static PyObject *
import_from_package(PyObject *self, PyObject *name)
{
    PyObject *fromlist = PyTuple_Pack(1, name);
    if (fromlist == NULL)
        return NULL;
    PyObject *package_name = PyUnicode_FromString("probepkg");
    PyObject *package = PyImport_ImportModuleLevelObject(package_name, NULL, NULL, fromlist, 0);
    Py_DECREF(package_name);
    Py_DECREF(fromlist);
    if (package == NULL)
        return NULL;
    PyObject *result = PyObject_GetAttr(package, name);
    Py_DECREF(package);
    return result;
}

static PyObject *
errors_module_at_init(PyObject *self, PyObject *unused)
{
    return Py_NewRef(errors_at_init);
}

static PyMethodDef methods[] = {
    {"raise_probe_error", raise_probe_error, METH_O, NULL},
    {"import_from_package", import_from_package, METH_O, NULL},
    {"errors_module_at_init", errors_module_at_init, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef probe_module = {
    PyModuleDef_HEAD_INIT, "probepkg._probe", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit__probe(void)
{
    errors_at_init = PyImport_ImportModule("probepkg.errors");
    if (errors_at_init == NULL)
        return NULL;
    return PyModule_Create(&probe_module);
}
