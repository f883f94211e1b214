"""The networks ``inference.py`` measures, built with random weights at bench time, their
ONNX export, and the model-package manifests that install them.

Kept apart from the script so its measuring code reads on its own; torch is imported only
inside these builders (the ``train`` extra), never by the app.
"""

from __future__ import annotations

from pathlib import Path


# -- networks (torch only here, at bench time) ------------------------------------------------
def densenet121(n_labels: int = 14):
    """DenseNet-121 (Huang et al. 2017): blocks 6-12-24-16, growth 32, + CAM output."""
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self, cin: int) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, 128, 1, bias=False),
                                      nn.BatchNorm2d(128), nn.ReLU(),
                                      nn.Conv2d(128, 32, 3, padding=1, bias=False))

        def forward(self, x):
            return torch.cat([x, self.body(x)], 1)

    layers: list[nn.Module] = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                               nn.MaxPool2d(3, 2, 1)]
    ch = 64
    for n, count in enumerate((6, 12, 24, 16)):
        for _ in range(count):
            layers.append(Layer(ch))
            ch += 32
        if n < 3:
            layers += [nn.BatchNorm2d(ch), nn.ReLU(), nn.Conv2d(ch, ch // 2, 1, bias=False),
                       nn.AvgPool2d(2)]
            ch //= 2
    layers += [nn.BatchNorm2d(ch), nn.ReLU()]

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(*layers)
            self.fc = nn.Linear(ch, n_labels)

        def forward(self, x):
            f = self.features(x)
            prob = torch.sigmoid(self.fc(f.mean((2, 3))))
            cam = torch.einsum("nchw,kc->nkhw", f, self.fc.weight) + self.fc.bias[None, :, None, None]
            return prob, cam

    return Net()


def unet3d_spleen():
    """A 3D U-Net after MONAI's spleen bundle: 16-32-64-128-256, residual units, 2 classes."""
    import torch
    from torch import nn

    def unit(cin: int, cout: int, stride: int, subunits: int) -> nn.Module:
        class Residual(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                convs: list[nn.Module] = []
                c = cin
                for s in range(subunits):
                    convs += [nn.Conv3d(c, cout, 3, stride if s == 0 else 1, 1),
                              nn.InstanceNorm3d(cout, affine=True), nn.PReLU()]
                    c = cout
                self.convs = nn.Sequential(*convs)
                self.skip = (nn.Conv3d(cin, cout, 3 if stride > 1 else 1, stride,
                                       1 if stride > 1 else 0)
                             if (cin != cout or stride != 1) else nn.Identity())

            def forward(self, x):
                return self.convs(x) + self.skip(x)

        return Residual()

    widths = (16, 32, 64, 128, 256)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.down = nn.ModuleList([unit(1 if i == 0 else widths[i - 1], w, 2, 2)
                                       for i, w in enumerate(widths[:-1])])
            self.bottom = unit(widths[-2], widths[-1], 1, 2)
            ups = []
            for i in reversed(range(len(widths) - 1)):
                cin = widths[i] + (widths[i + 1] if i == len(widths) - 2 else widths[i])
                cout = widths[i - 1] if i > 0 else 2
                ups.append(nn.ModuleDict({
                    "up": nn.ConvTranspose3d(cin, cout, 3, 2, 1, output_padding=1),
                    "res": unit(cout, cout, 1, 1)}))
            self.ups = nn.ModuleList(ups)
            self.head = nn.Conv3d(2, 2, 1)

        def forward(self, x):
            skips = []
            for d in self.down:
                x = d(x)
                skips.append(x)
            x = self.bottom(x)
            for block, skip in zip(self.ups, reversed(skips), strict=True):
                x = block["res"](block["up"](torch.cat([x, skip], 1)))  # type: ignore[index]  # ModuleDicts
            return self.head(x)

    net = Net()
    with torch.no_grad():  # random weights: let background win almost everywhere, as a
        net.head.weight.mul_(0.5)  # trained model's output would on most of a CT
        assert net.head.bias is not None
        net.head.bias[:] = torch.tensor([3.0, -3.0])
    return net


def export(net, shape: tuple[int, ...], outputs: list[str], path: Path) -> bytes:
    import io

    import torch

    torch.manual_seed(0)
    net.eval()
    buf = io.BytesIO()  # a file object works; the stubs of torch.onnx.export name only paths
    dyn = {"image": {0: "N"}, **{o: {0: "N"} for o in outputs}}
    try:
        torch.onnx.export(net, (torch.zeros(*shape),), buf, dynamo=False, opset_version=17,  # type: ignore[arg-type]
                          input_names=["image"], output_names=outputs, dynamic_axes=dyn)
    except Exception as exc:  # a torch without the TorchScript exporter (the GPU image's
        print(f"TorchScript ONNX export unavailable ({type(exc).__name__}); using dynamo")
        buf = io.BytesIO()  # may be newer than this venv's): the dynamo exporter instead
        torch.onnx.export(net, (torch.zeros(*shape),), buf, dynamo=True, opset_version=18,  # type: ignore[arg-type]
                          input_names=["image"], output_names=outputs, dynamic_axes=dyn,
                          external_data=False)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


# -- packages --------------------------------------------------------------------------------
def _base(pid: str, task: str, desc: str) -> dict:
    return {
        "manifest_version": 1, "id": pid, "name": pid, "version": "0.0.1", "task": task,
        "description": desc + " Random weights: benchmark only.", "authors": ["benchmarks/inference.py"],
        "license": "benchmark", "demo": True,
        "changelog": [{"version": "0.0.1", "date": "2026-11-29", "changes": "bench"}],
        "intended_use": {"population": "none (benchmark)", "references": [{"citation": "benchmark"}]},
        "test_vectors": [{"name": "none", "inputs": {}, "expected": {"x": 0}, "tolerance": 0,
                          "source": "benchmark"}],
    }


LABELS_14 = ["atelectasis", "cardiomegaly", "effusion", "infiltration", "mass", "nodule",
             "pneumonia", "pneumothorax", "consolidation", "edema", "emphysema", "fibrosis",
             "pleural thickening", "hernia"]


def densenet_manifest() -> dict:
    doc = _base("bench-densenet121", "image-classification", "DenseNet-121 chest X-ray shape.")
    doc["runtime"] = {"model_file": "model.onnx", "opset": 17, "max_batch": 1, "warmup": True}
    doc["inputs"] = {
        "tensors": [{"name": "image", "dtype": "float32", "shape": ["N", 3, 224, 224]}],
        "image": {"series_selection": {"modality": ["CR", "DX"]},
                  "preprocessing": {"size": [224, 224],
                                    "normalisation": {"method": "minmax", "percentiles": [0.5, 99.5],
                                                      "range": [-2.1, 2.6]},
                                    "channel_layout": "NCHW", "channels": 3},
                  "inference": {"mode": "image"}}}
    doc["outputs"] = {
        "tensors": [{"name": "probability", "dtype": "float32", "shape": ["N", 14]},
                    {"name": "cam", "dtype": "float32", "shape": ["N", 14, 7, 7]}],
        "primary": "probability", "heatmap": "cam", "labels": LABELS_14,
        "thresholds": dict.fromkeys(LABELS_14, 0.5)}
    return doc


def unet_manifest() -> dict:
    doc = _base("bench-unet3d-spleen", "image-segmentation", "3D U-Net, MONAI spleen shape.")
    doc["runtime"] = {"model_file": "model.onnx", "opset": 17, "max_batch": 2, "warmup": True}
    doc["inputs"] = {
        "tensors": [{"name": "image", "dtype": "float32", "shape": ["N", 1, 96, 96, 96]}],
        "image": {"series_selection": {"modality": ["CT"], "min_slices": 16},
                  "preprocessing": {"spacing_mm": [2.0, 1.5, 1.5],
                                    "window": {"center": 53.5, "width": 221},
                                    "normalisation": {"method": "none"}, "channel_layout": "NCDHW"},
                  "limits": {"max_slices": 2000},
                  "inference": {"mode": "patch3d", "patch_size": [96, 96, 96], "overlap": 0.25}}}
    doc["outputs"] = {
        "tensors": [{"name": "logits", "dtype": "float32", "shape": ["N", 2, 96, 96, 96]}],
        "primary": "logits", "labels": ["spleen"], "thresholds": {"spleen": 0.5},
        "activation": "softmax", "background_channel": True, "mask_threshold": 0.5}
    return doc
