"""A small helper over ``onnx.helper`` for the risk-equation graphs (build time only).

Every risk graph takes one float64 input ``x`` of shape [N, F] whose columns are the
manifest's tensor features in order, and works on [N] column vectors. float64 because
the equations subtract large terms (PCE: ±120 from ln-age products) and clinicians
compare results to published figures to the last printed digit.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 9


class Graph:
    def __init__(self, name: str, columns: list[str]) -> None:
        self.name = name
        self.columns = columns
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self._n = 0

    def _name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, value: float | list[float] | np.ndarray, hint: str = "c",
              dtype: type = np.float64) -> str:
        name = self._name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, op_type: str, *inputs: str, hint: str = "", **attrs: object) -> str:
        out = self._name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def col(self, feature: str) -> str:
        """Column ``feature`` of x as an [N] vector."""
        index = self.const(self.columns.index(feature), hint=f"idx_{feature}", dtype=np.int64)
        return self.op("Gather", "x", index, hint=feature, axis=1)

    # arithmetic on [N] vectors / scalars
    def add(self, a: str, b: str) -> str:
        return self.op("Add", a, b)

    def sub(self, a: str, b: str) -> str:
        return self.op("Sub", a, b)

    def mul(self, a: str, b: str) -> str:
        return self.op("Mul", a, b)

    def log(self, a: str) -> str:
        return self.op("Log", a)

    def one_minus(self, a: str) -> str:
        return self.sub(self.const(1.0), a)

    def stack(self, vectors: list[str], hint: str = "stack") -> str:
        """[N] vectors → [N, K]."""
        axis = self.const([1], dtype=np.int64)
        cols = [self.op("Unsqueeze", v, axis) for v in vectors]
        return self.op("Concat", *cols, hint=hint, axis=1)

    def row_sum(self, matrix: str) -> str:
        return self.op("ReduceSum", matrix, self.const([1], dtype=np.int64), keepdims=0)

    def output(self, source: str, name: str, shape: list[object]) -> None:
        self.nodes.append(helper.make_node("Identity", [source], [name]))
        self.outputs.append(helper.make_tensor_value_info(name, TensorProto.DOUBLE, shape))

    def model(self, doc: str) -> bytes:
        x = helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", len(self.columns)])
        graph = helper.make_graph(self.nodes, self.name, [x], self.outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="clinic-app models/build_risk_models.py",
                                  doc_string=doc)
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model, full_check=True)
        return model.SerializeToString()
