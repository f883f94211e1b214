"""The CT demo's network: a small 2D U-Net, one or three input channels (2.5D).

Kept apart from the training script so the recipe and the architecture can change
separately; a package's ONNX graph is this module's export.
"""

from __future__ import annotations

import torch
from torch import nn


def block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class LesionUNet(nn.Module):
    """A 4-level U-Net (8-16-32-48 channels): ~70 mm receptive field, ~100k parameters."""

    def __init__(self, widths: tuple[int, ...] = (8, 16, 32, 48), channels: int = 1) -> None:
        super().__init__()
        self.down = nn.ModuleList()
        cin = channels
        for w in widths:
            self.down.append(block(cin, w))
            cin = w
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for w_low, w_high in zip(widths[:0:-1], widths[-2::-1], strict=True):
            self.up.append(nn.ConvTranspose2d(w_low, w_high, 2, stride=2))
            self.merge.append(block(2 * w_high, w_high))
        self.head = nn.Conv2d(widths[0], 1, 1)
        self.pool = nn.MaxPool2d(2)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for n, layer in enumerate(self.down):
            x = layer(x if n == 0 else self.pool(x))
            skips.append(x)
        for up, merge, skip in zip(self.up, self.merge, skips[-2::-1], strict=True):
            x = merge(torch.cat([up(x), skip], dim=1))
        return self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x))
