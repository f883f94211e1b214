"""AI results export: SEG + SR for a 300-slice CT with 3 findings, beside highdicom alone.

Cases, one run each, same process, same objects:

  service      ResultsService.build + encode to bytes: the real path (permission gate, the
               findings and their maps read from the encrypted store, source headers read
               and decrypted from the store's DICOM blobs, SEG + SR built, serialised)
  highdicom    the same SEG and SR built by highdicom from inputs already in memory (source
               headers parsed, maps decoded, finding content prepared) and serialised: the
               encoder's own cost, the floor for any export

The store holds a 300-slice 512x512 CT (synthetic) and one AI run with three
segmentation findings (probability maps over 12, 20 and 30 slices) written directly
through the findings store, so the benchmark measures export, not inference.

Run:  .venv/bin/python benchmarks/dicom_export.py [--slices 300]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSWORD = "benchmark-rad-pw-12"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FINDINGS = ((40, 12, 30), (150, 20, 50), (240, 30, 70))  # (first slice, slices, size px)


def _store(root: Path, slices: int):
    import pydicom

    from clinic_app.config import Settings
    from clinic_app.core.clock import ManualClock
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.services.store_init import NewAccount
    from clinic_app.synthetic.dicom_series import write_ct_series

    services = Services(Settings(store_dir=root / "store"), clock=ManualClock(NOW))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                             [NewAccount("rad", Role.RADIOLOGIST, PASSWORD)])
    session = services.auth.login("rad", PASSWORD)
    services.auth.change_password(session, PASSWORD, PASSWORD + "x")
    session = services.auth.login("rad", PASSWORD + "x")
    written = write_ct_series(root / "ct", slices=slices, seed=1)
    frame_of_reference = pydicom.uid.generate_uid()
    for path in written.paths:  # one frame of reference, as a scanner writes it
        ds = pydicom.dcmread(path)
        ds.FrameOfReferenceUID = frame_of_reference
        ds.save_as(path, enforce_file_format=True)
    services.imaging.import_dicom(session, [root / "ct"])
    return services, session, written


def _plant_run(services, session, study_uid: str, series_uid: str) -> None:
    from clinic_app.core.imaging import geometry, index
    from clinic_app.core.inference import finding_store as store
    from clinic_app.core.inference.findings import Finding
    from clinic_app.core.inference.heatmaps import Heatmap

    db = session.clinical
    plan = geometry.plan_series(index.series_instances(db, series_uid), "CT")[0]
    refs = [(f.instance.sop_instance_uid, f.frame + 1) for f in plan.frames]
    found = []
    for first, depth, size in FINDINGS:
        k = np.arange(depth)[:, None, None] - depth / 2
        j = np.arange(size)[None, :, None] - size / 2
        i = np.arange(size)[None, None, :] - size / 2
        prob = np.clip(1.2 - np.sqrt((k / (depth / 2)) ** 2 + (j / (size / 2)) ** 2
                                     + (i / (size / 2)) ** 2), 0, 1).astype(np.float32)
        row0 = col0 = 200
        centre = first + depth // 2
        found.append(Finding(
            label="hyperdense focal lesion", score=float(prob.max()), flagged=True,
            threshold=0.5, slice_index=centre, slice_range=(first, first + depth - 1),
            bbox_px={"col": [col0, col0 + size - 1], "row": [row0, row0 + size - 1],
                     "slice": [first, first + depth - 1]},
            bbox_mm={"min": [0, 0, 0], "max": [1, 1, 1]}, center_px=[250.0, 250.0, centre],
            center_mm=[0.0, 0.0, 0.0], contour_px=[[col0, row0], [col0 + size, row0],
                                                   [col0 + size, row0 + size]],
            contour_mm=[], volume_ml=12.5, diameter_mm=28.8, frame="LPS",
            location_method="segmentation",
            heatmap=Heatmap.from_float(prob, kind="segmentation-probability",
                                       label="hyperdense focal lesion",
                                       origin=(first, row0, col0), extent=prob.shape)))
    record = store.RunRecord(study_uid, series_uid, 0, "ct-hyperdense-lesion-demo", "1.0.0",
                             "ab" * 32, True, "CPUExecutionProvider",
                             "segmentation-probability", {}, "manual", "rad", "t0", "t1")
    with db.transaction(), session.blobs.batch() as batch:
        store.save_run(db, batch, record, found, refs)


def _encode(datasets) -> int:
    total = 0
    for ds in datasets:
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        total += buffer.tell()
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slices", type=int, default=300)
    args = parser.parse_args()
    from clinic_app.core.dicom_out import assemble
    from clinic_app.core.dicom_out.seg import build_seg
    from clinic_app.core.dicom_out.sr import build_sr

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        services, session, written = _store(root, args.slices)
        _plant_run(services, session, written.study_uid, written.series_uid)
        setup = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = services.results.build(session, written.study_uid)
        size = _encode(result.datasets)
        ours = time.perf_counter() - t0
        seg_ds = next(o.dataset for o in result.objects if o.kind == "SEG")
        sr_ds = next(o.dataset for o in result.objects if o.kind == "SR")

        # Everything highdicom needs, prepared in memory (not timed): source headers, maps.
        import pydicom

        from clinic_app.core.dicom_out.content import tracking_uid
        from clinic_app.core.dicom_out.seg import slices_covered
        from clinic_app.core.inference import finding_store as store
        from clinic_app.core.inference.heatmaps import decode_from_bundle

        headers = {p: pydicom.dcmread(p, stop_before_pixels=True) for p in written.paths}
        by_pos = sorted(headers.values(), key=lambda d: float(d.ImagePositionPatient[2]))
        found = store.current_findings(session.clinical, written.study_uid)
        maps = []
        for f in found:
            blob, pos = store.heatmap_location(session.clinical, f.id)
            maps.append(assemble.segment_map(
                f, decode_from_bundle(session.blobs.get(store.HEATMAP_BLOB, blob), pos), 0))
        sources = {k: by_pos[k] for k in slices_covered(maps)}
        algorithm = assemble.ai_finding(found[0], "ab" * 32, None).algorithm
        assert algorithm is not None and tracking_uid

        t0 = time.perf_counter()
        seg = build_seg(sources, maps, algorithm, series_uid=pydicom.uid.generate_uid(),
                        sop_uid=pydicom.uid.generate_uid())
        results = [assemble.ai_finding(f, "ab" * 32, (str(seg.SOPInstanceUID), n + 1))
                   for n, f in enumerate(found)]
        sr = build_sr(results, [], [seg], series_uid=pydicom.uid.generate_uid(),
                      sop_uid=pydicom.uid.generate_uid(), device_uid="2.25.1")
        base_size = _encode([seg, sr])
        baseline = time.perf_counter() - t0
        services.close()

    print(f"setup (write {args.slices} slices, import, plant run): {setup:.1f} s")
    print(f"objects: SEG {int(seg_ds.NumberOfFrames)} frames x {len(seg_ds.SegmentSequence)} "
          f"segments, SR {len(found)} groups; {size / 1e6:.2f} MB encoded "
          f"(highdicom alone {base_size / 1e6:.2f} MB)")
    print(f"service   build+encode  {ours * 1000:8.0f} ms")
    print(f"highdicom build+encode  {baseline * 1000:8.0f} ms")
    print(f"ratio service / highdicom: {ours / baseline:.2f}x")
    assert sr_ds is not None


if __name__ == "__main__":
    main()
