"""bench/driver.py: how the rounds of a timing cell become the one cell the table shows."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
spec = importlib.util.spec_from_file_location("bench_driver", BENCH / "driver.py")
driver = importlib.util.module_from_spec(spec)
sys.modules["bench_driver"] = driver
spec.loader.exec_module(driver)


def moons(lib, seconds, **extra):
    return {"lib": lib, "workload": "moons", "median_s": seconds, **extra}


def test_the_round_with_the_median_time_is_shown_with_every_round_kept():
    cells = [moons("minigrad", 3e-4, peak_rss=1), moons("torch", 5e-4), moons("minigrad", 2e-4, peak_rss=2)]
    cells.append(moons("minigrad", 4e-4, peak_rss=3))
    merged = driver.median_of_rounds(cells)
    mine = next(c for c in merged if c["lib"] == "minigrad")
    assert mine["median_s"] == 3e-4 and mine["peak_rss"] == 1  # a real process, all its fields
    assert mine["round_times"] == [3e-4, 2e-4, 4e-4]
    assert next(c for c in merged if c["lib"] == "torch") == moons("torch", 5e-4)  # one round: as is


def test_chain_rounds_are_judged_by_backward_per_link_and_kept_apart_by_length():
    def chain(links, per_link):
        return {"lib": "minigrad", "workload": "chain", "links": links, "backward_us_per_link": per_link}

    merged = driver.median_of_rounds([chain(10, 5.0), chain(10, 9.0), chain(10, 7.0), chain(100, 1.0)])
    assert [(c["links"], c["backward_us_per_link"]) for c in merged] == [(10, 7.0), (100, 1.0)]


def test_a_failed_round_counts_as_the_slowest():
    merged = driver.median_of_rounds(
        [moons("minigrad", None, error="crashed"), moons("minigrad", 1e-4), moons("minigrad", 2e-4)]
    )
    assert merged[0]["median_s"] == 2e-4 and merged[0]["round_times"] == [None, 1e-4, 2e-4]


def test_notes_list_every_round_in_microseconds():
    merged = driver.median_of_rounds(
        [moons("minigrad", 3e-4), moons("minigrad", 2e-4), moons("minigrad", 4e-4)]
    )
    (line,) = driver.round_notes(merged)
    assert line == "(a) two moons, one step, in µs, round by round: minigrad 300.0, 200.0, 400.0."


def test_the_constant_chain_is_judged_by_backward_per_link_too():
    def chain(per_link):
        return {"lib": "torch", "workload": "chain_const", "links": 10, "backward_us_per_link": per_link}

    (merged,) = driver.median_of_rounds([chain(5.0), chain(9.0), chain(7.0)])
    assert merged["backward_us_per_link"] == 7.0 and merged["round_times"] == [5.0, 9.0, 7.0]


def test_the_loops_written_by_hand_get_their_rows_and_targets():
    cells = [
        {"lib": "minigrad", "workload": "moons_loop", "median_s": 2e-4},
        {"lib": "torch", "workload": "moons_loop", "median_s": 1e-4},
        {"lib": "minigrad", "workload": "chain_const", "links": 10_000, "backward_us_per_link": 9.0},
        {"lib": "torch", "workload": "chain_const", "links": 10_000, "backward_us_per_link": 10.0},
        {"lib": "minigrad", "workload": "mlp_loop", "median_s": 1.05e-3},
        {"lib": "torch", "workload": "mlp_loop", "median_s": 1e-3},
    ]
    rows, verdicts = driver.Report(cells, list(driver.LIBS), {}, {}).time_table()
    assert (verdicts["e"]["ratio_vs_torch"], verdicts["e"]["met"]) == (2.0, False)
    assert (verdicts["f_10000"]["ratio_vs_torch"], verdicts["f_10000"]["met"]) == (0.9, True)
    assert verdicts["g"]["met"] is True  # 1.05× against the 1.1× target
    by_label = {row[0][:3]: row for row in rows[1:]}
    assert by_label["(e)"][1:3] == ["200.0 µs", "100.0 µs"] and by_label["(e)"][4] == "—"  # no micrograd
