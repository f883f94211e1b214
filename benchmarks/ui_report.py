"""The table ``ui.py`` prints: each measure beside its baseline, the ratio and the target.

Apart from the script so the measuring code and the wording of its results can each be
read (and changed) on their own; ``--json`` writes the same results unformatted.
"""

from __future__ import annotations

#: "Scrolling works near the first image" = the next NEAR_SLICES images can be shown.
NEAR_SLICES = 10


def report(r: dict) -> None:
    def row(name: str, ours: float, base: float | None, base_name: str, unit: str, target: str,
            better_low: bool = True) -> None:
        ratio = "" if base is None else (f"{base / ours:7.1f}× better" if better_low else f"{ours / base:7.1f}× better")
        b = "" if base is None else f"{base:10.1f} {unit}"
        print(f"{name:<34} {ours:10.1f} {unit:<4} {b:<16} {base_name:<22} {ratio:<16} {target}")

    print(f"\nUI benchmark: {r['slices']}-slice {r['size']}² CT ({r['compression']}), offscreen, 1440×900 window")
    print(f"{'measure':<34} {'clinic-app':>15} {'baseline':>16} {'(baseline)':<22} {'ratio':<16} target")
    row("first image on screen", r["first_image_ms"], r["load_then_show_ms"], "load-then-show", "ms", "≤ 300 ms")
    row(f"scroll ±{NEAR_SLICES} images from the first", r["scroll_near_first_ms"],
        r["full_volume_on_screen_ms"], "two-stage (whole volume)", "ms", "")
    row("full volume on screen", r["full_volume_on_screen_ms"], None, "", "ms", "")
    row("longest freeze while opening", r["open_study_max_stall_ms"], r["load_then_show_ms"], "load-then-show",
        "ms", "≤ 100 ms")
    row("  GUI-thread CPU within it", r["open_study_cpu_in_max_ms"], None, "", "ms", "")
    row("  idle event loop just before (floor)", r["open_study_idle_floor_ms"], None, "", "ms", "")
    row("scrolling (wheel + repaint)", r["scroll_fps"], r["decode_on_scroll_fps"], "decode-on-scroll", "fps",
        "≥ 30 fps", better_low=False)
    row("  95th percentile frame", r["scroll_frame_p95_ms"], None, "", "ms", "")
    row("scrolling, 250 Hz wheel (painted)", r["scroll_driven_fps"], None, "", "fps", "≥ 30 fps")
    row("longest freeze during import", r["import_max_stall_ms"], r["import_sync_freeze_ms"], "synchronous import",
        "ms", "≤ 100 ms")
    if "prior_first_image_ms" in r:
        row("prior's first image (Open with prior)", r["prior_first_image_ms"], None, "", "ms", "≤ 300 ms")
        row("longest freeze opening with prior", r["prior_open_max_stall_ms"], r["prior_open_idle_floor_ms"],
            "idle loop before each", "ms", "≤ 100 ms")
        row("  GUI-thread CPU within it", r["prior_open_cpu_in_max_ms"], None, "", "ms", "")
        row("scrolling, two linked viewports", r["scroll_linked_two_fps"], r["scroll_one_fps_same_run"],
            "one viewport", "fps", "≥ 30 fps", better_low=False)
        print(f"(load average {r['load_average']:.1f} on this machine during the run; stalls per open: "
              f"{r['open_study_stalls_ms']}, idle floor before each {r['open_study_idle_floors_ms']}; "
              f"with prior: {r['prior_open_stalls_ms']}, floor {r['prior_open_idle_floors_ms']}; prior's "
              f"first image per open {r['prior_first_images_ms']}; idle loop at the end "
              f"{r['idle_max_stall_ms']:.1f} ms)")
    if "analysis_max_stall_ms" in r:
        row("longest freeze during analysis", r["analysis_max_stall_ms"], r["analysis_sync_freeze_ms"],
            "synchronous analysis", "ms", "≤ 100 ms")
