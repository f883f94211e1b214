"""Regenerate the self-test's built-in samples in clinic_app/resources/selftest/.

    .venv/bin/pip install imagecodecs onnx   # generator-only tools, not app dependencies
    .venv/bin/python scripts/make_selftest_samples.py

Writes one tiny DICOM file per transfer syntax (pixels from the integer patterns in
clinic_app/selftest/dicom_samples.py), ``samples.json`` describing each (with its SHA-256
and, for lossy syntaxes, the error bound the decode must stay within), and
``add_one.onnx`` for the onnxruntime check. Encoders: pydicom's own (RLE, JPEG-LS and
JPEG 2000 through pyjpegls and pylibjpeg-openjpeg), and imagecodecs (libjpeg-turbo for
JPEG baseline, extended and lossless; OpenJPH for HTJ2K), which pydicom cannot write.

Every file is decoded again here with every available plugin before it is kept, and the
lossy bounds are set to the worst error any plugin showed, doubled, plus one: tight
enough that garbage fails, loose enough that two correct decoders both pass.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    HTJ2K,
    JPEG2000,
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
    SecondaryCaptureImageStorage,
    generate_uid,
)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from clinic_app.selftest.dicom_samples import (  # noqa: E402
    MANIFEST,
    REQUIRED_PLUGINS,
    Sample,
    available_plugins,
    expected_pixels,
)

OUT = REPO / "clinic_app" / "resources" / "selftest"
HTJ2K_LOSSLESS = HTJ2KLossless
HTJ2K_RPCL = HTJ2KLosslessRPCL
ROWS, COLS = 36, 40  # not multiples of the JPEG MCU (edge blocks); >= 32 for 6 J2K resolutions


@dataclasses.dataclass(frozen=True)
class Spec:
    file: str
    syntax: UID
    bits_allocated: int = 16
    bits_stored: int = 16
    signed: bool = False
    samples: int = 1
    frames: int = 1
    lossy: bool = False
    photometric: str = ""

    def sample(self, max_error: int = 0, mean_error: float = 0.0, sha256: str = "") -> Sample:
        return Sample(
            file=self.file, transfer_syntax=str(self.syntax), description=describe(self),
            rows=ROWS, cols=COLS, frames=self.frames, samples_per_pixel=self.samples,
            bits_allocated=self.bits_allocated, bits_stored=self.bits_stored,
            signed=self.signed, pattern="smooth" if self.lossy else "detail",
            max_error=max_error, mean_error=mean_error, sha256=sha256)


def describe(spec: Spec) -> str:
    kind = "RGB" if spec.samples == 3 else ("signed" if spec.signed else "unsigned")
    frames = f", {spec.frames} frames" if spec.frames > 1 else ""
    return f"{spec.syntax.name}, {spec.bits_stored}-bit {kind}{frames}"


SPECS = [
    Spec("implicit_le.dcm", ImplicitVRLittleEndian, signed=True),
    Spec("explicit_le_2frames.dcm", ExplicitVRLittleEndian, frames=2),
    Spec("explicit_be.dcm", ExplicitVRBigEndian),
    Spec("deflated.dcm", DeflatedExplicitVRLittleEndian, bits_stored=12),
    Spec("rle.dcm", RLELossless, signed=True),
    Spec("rle_rgb.dcm", RLELossless, bits_allocated=8, bits_stored=8, samples=3),
    Spec("jpeg_baseline.dcm", JPEGBaseline8Bit, bits_allocated=8, bits_stored=8, lossy=True),
    Spec("jpeg_baseline_rgb.dcm", JPEGBaseline8Bit, bits_allocated=8, bits_stored=8, samples=3,
         lossy=True, photometric="YBR_FULL_422"),
    Spec("jpeg_extended_12bit.dcm", JPEGExtended12Bit, bits_stored=12, lossy=True),
    Spec("jpeg_lossless_p14.dcm", JPEGLossless),
    Spec("jpeg_lossless_sv1.dcm", JPEGLosslessSV1),
    Spec("jpegls_lossless.dcm", JPEGLSLossless),
    Spec("jpegls_near_lossless.dcm", JPEGLSNearLossless, lossy=True),
    Spec("j2k_lossless.dcm", JPEG2000Lossless, bits_stored=12, signed=True),
    Spec("j2k.dcm", JPEG2000, lossy=True),
    Spec("htj2k_lossless.dcm", HTJ2K_LOSSLESS),
    Spec("htj2k_rpcl.dcm", HTJ2K_RPCL),
    Spec("htj2k.dcm", HTJ2K, lossy=True),
]


def base_dataset(spec: Spec) -> Dataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["selftest", spec.file])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=["selftest", "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["selftest", "series"])
    ds.PatientName = "SELFTEST^SAMPLE"
    ds.PatientID = "SELFTEST"
    ds.Modality = "OT"
    ds.ConversionType = "SYN"
    ds.ImageComments = "clinic-app self-test sample: synthetic pixels, no patient data"
    return ds


def native(spec: Spec, pixels: np.ndarray) -> Dataset:
    ds = base_dataset(spec)
    photometric = "RGB" if spec.samples == 3 else "MONOCHROME2"
    ds.set_pixel_data(pixels, photometric, spec.bits_stored, generate_instance_uid=False)
    return ds


def encapsulated(spec: Spec, pixels: np.ndarray, frames: list[bytes], photometric: str) -> Dataset:
    ds = native(spec, pixels)
    ds.PhotometricInterpretation = photometric
    ds.PixelData = encapsulate(frames)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = spec.syntax
    if spec.lossy:
        ds.LossyImageCompression = "01"
    return ds


def build(spec: Spec) -> bytes:
    import imagecodecs

    pixels = expected_pixels(spec.sample())
    syntax = spec.syntax
    if syntax in (ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian):
        ds = native(spec, pixels)
        ds.file_meta.TransferSyntaxUID = syntax
    elif syntax == ExplicitVRBigEndian:
        ds = native(spec, pixels)
        ds.file_meta.TransferSyntaxUID = syntax
        ds.PixelData = pixels.astype(pixels.dtype.newbyteorder(">")).tobytes()
    elif syntax in (RLELossless, JPEGLSLossless, JPEG2000Lossless):
        ds = native(spec, pixels)
        ds.compress(syntax, generate_instance_uid=False)
    elif syntax == JPEGLSNearLossless:
        ds = native(spec, pixels)
        ds.compress(syntax, jls_error=2, generate_instance_uid=False)
    elif syntax == JPEG2000:
        ds = native(spec, pixels)
        ds.compress(syntax, j2k_psnr=[80], generate_instance_uid=False)
    elif syntax == JPEGBaseline8Bit:
        if spec.samples == 3:
            frame = imagecodecs.jpeg8_encode(pixels, level=95, colorspace="RGB",
                                             outcolorspace="YCBCR", subsampling="422")
            ds = encapsulated(spec, pixels, [frame], spec.photometric)
            ds.PlanarConfiguration = 0
        else:
            frame = imagecodecs.jpeg8_encode(pixels, level=95)
            ds = encapsulated(spec, pixels, [frame], "MONOCHROME2")
    elif syntax == JPEGExtended12Bit:
        frame = imagecodecs.jpeg8_encode(pixels, level=95, bitspersample=12)
        ds = encapsulated(spec, pixels, [frame], "MONOCHROME2")
    elif syntax in (JPEGLossless, JPEGLosslessSV1):
        predictor = 1 if syntax == JPEGLosslessSV1 else 6
        frame = imagecodecs.jpeg8_encode(pixels, lossless=True, predictor=predictor,
                                         bitspersample=spec.bits_stored)
        ds = encapsulated(spec, pixels, [frame], "MONOCHROME2")
    elif syntax in (HTJ2K_LOSSLESS, HTJ2K_RPCL):
        if syntax == HTJ2K_RPCL:
            # One resolution level, one layer, one component: the codestream has a single
            # packet, so every progression order is the same order, and setting RPCL in
            # the COD marker describes it exactly (OpenJPH cannot be asked for RPCL).
            frame = imagecodecs.htj2k_encode(pixels, reversible=True, resolutions=1, tlm=True)
            frame = set_progression_rpcl(frame)
        else:
            frame = imagecodecs.htj2k_encode(pixels, reversible=True)
        ds = encapsulated(spec, pixels, [frame], "MONOCHROME2")
    elif syntax == HTJ2K:
        frame = imagecodecs.htj2k_encode(pixels, level=0.001, reversible=False)
        ds = encapsulated(spec, pixels, [frame], "MONOCHROME2")
    else:
        raise SystemExit(f"no encoder for {syntax.name}")
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def set_progression_rpcl(codestream: bytes) -> bytes:
    cod = codestream.find(b"\xff\x52")
    if cod < 0:
        raise SystemExit("HTJ2K codestream without a COD marker")
    order_at = cod + 2 + 2 + 1  # marker, Lcod, Scod, then SGcod starts with the order
    data = bytearray(codestream)
    data[order_at] = 2  # RPCL
    return bytes(data)


def decode_bounds(spec: Spec, data: bytes) -> tuple[int, float]:
    """Decode with every plugin; return (max_error, mean_error) bounds for the manifest."""
    from pydicom.pixels import pixel_array

    probe = spec.sample()
    expected = expected_pixels(probe)
    worst, worst_mean = 0, 0.0
    for plugin in available_plugins(str(spec.syntax)):
        kwargs = {} if plugin == "pydicom" else {"decoding_plugin": plugin}
        try:
            array = pixel_array(dcmread(io.BytesIO(data)), **kwargs)
        except Exception as exc:
            if plugin in REQUIRED_PLUGINS:
                raise
            print(f"  {spec.file:28s} {plugin:10s} (optional) cannot decode: {exc}".splitlines()[0])
            continue
        if array.shape != expected.shape or array.dtype.newbyteorder('=') != expected.dtype.newbyteorder('='):
            raise SystemExit(f"{spec.file} [{plugin}]: decoded {array.shape} {array.dtype}, "
                             f"expected {expected.shape} {expected.dtype}")
        diff = np.abs(array.astype(np.int64) - expected.astype(np.int64))
        if not spec.lossy and diff.any():
            raise SystemExit(f"{spec.file} [{plugin}]: lossless sample does not round-trip")
        worst, worst_mean = max(worst, int(diff.max())), max(worst_mean, float(diff.mean()))
        print(f"  {spec.file:28s} {plugin:10s} max error {int(diff.max())}, mean {diff.mean():.3f}")
    if not spec.lossy:
        return 0, 0.0
    return 2 * worst + 1, round(2 * worst_mean + 0.5, 2)


def write_onnx() -> bytes:
    """y = 2x + 1 on float32[1, 4]: tiny, opset 13, runs on every provider."""
    import onnx
    from onnx import TensorProto, helper

    two = helper.make_tensor("two", TensorProto.FLOAT, [1], [2.0])
    one = helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["twice"]),
         helper.make_node("Add", ["twice", "one"], ["y"])],
        "selftest", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [two, one])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="clinic-app-selftest")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model.SerializeToString()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    entries = []
    for spec in SPECS:
        data = build(spec)
        max_error, mean_error = decode_bounds(spec, data)
        (OUT / spec.file).write_bytes(data)
        sample = spec.sample(max_error, mean_error, hashlib.sha256(data).hexdigest())
        entries.append(dataclasses.asdict(sample))
        print(f"{spec.file:28s} {len(data):6d} bytes  {sample.description}")
    (OUT / "add_one.onnx").write_bytes(write_onnx())
    manifest = {"generator": "scripts/make_selftest_samples.py", "samples": entries}
    (OUT / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
