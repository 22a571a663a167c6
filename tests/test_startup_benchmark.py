"""The start-up benchmark's arithmetic: where gilless's time goes, from the best runs."""

from benchmarks import startup


def figures(cpython_plain, gilless_plain, cpython_no_site, gilless_no_site):
    def result(args, cpython, gilless):
        return {"args": list(args), "cpu_ratio": gilless / cpython,
                "cpu_min_ratio": gilless / cpython,
                "implementations": {"cpython": {"cpu_s": cpython, "cpu_min_s": cpython},
                                    "gilless": {"cpu_s": gilless, "cpu_min_s": gilless}}}
    return {"plain": result(startup.PLAIN, cpython_plain, gilless_plain),
            "without_site": result(startup.WITHOUT_SITE, cpython_no_site, gilless_no_site)}


def test_the_time_is_split_into_the_hosts_gillesss_and_the_guests_site():
    text = startup.lines(figures(0.016, 0.036, 0.006, 0.023))
    assert text[1].split()[:2] == ["-c", "pass"] and text[1].endswith("2.25 / 2.25")
    # Under -S the two do not start alike: no ratio.
    assert text[2].split()[:3] == ["-S", "-c", "pass"] and text[2].endswith(" -")
    assert text[-1] == ("gilless -c pass (best): the host's start-up 16.0 ms + gilless's own "
                        "7.0 ms + the guest's site 13.0 ms (the host's site: 10.0 ms)")
