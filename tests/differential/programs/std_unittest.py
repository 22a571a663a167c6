# unittest: a run with passes, a failure, an error, a skip and an expected failure.
import unittest


class Sample(unittest.TestCase):
    def setUp(self):
        self.value = 41

    def test_pass(self):
        self.assertEqual(self.value + 1, 42)

    def test_fail(self):
        self.assertEqual([1, 2, 3], [1, 2, 4])

    def test_error(self):
        raise KeyError("boom")

    @unittest.skip("not today")
    def test_skip(self):
        pass

    @unittest.expectedFailure
    def test_expected(self):
        self.assertTrue(False)

    def test_raises(self):
        with self.assertRaises(ZeroDivisionError):
            1 / 0
        with self.assertRaisesRegex(ValueError, "inv.*"):
            int("x")

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 2)

    def test_dict(self):
        self.assertDictEqual({"a": 1}, {"a": 2})


if __name__ == "__main__":
    import io
    import re
    import sys
    stream = io.StringIO()
    runner = unittest.TextTestRunner(stream=stream, verbosity=2)
    result = runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(Sample))
    # The run time is the one thing that legitimately differs.
    print(re.sub(r"in \d+\.\d+s", "in TIME", stream.getvalue()))
    print(result.testsRun, len(result.failures), len(result.errors), len(result.skipped))
    sys.stderr = io.StringIO()
    try:
        unittest.main(argv=["prog", "Sample.test_pass", "Sample.test_fail"])
    except SystemExit as e:
        output = sys.stderr.getvalue()
        sys.stderr = sys.__stderr__
        print(re.sub(r"in \d+\.\d+s", "in TIME", output))
        raise
