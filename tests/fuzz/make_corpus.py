#!/usr/bin/python3
"""Writes the fuzz seed corpora in tests/fuzz/corpus/<loader>/: small valid files of each format, covering each
loader's branches (plain and gzip IDX, quoted and CRLF CSV, a project per example, F32/F16/F64 safetensors with
metadata, ONNX MLPs in PyTorch's Gemm, MatMul + Add and GELU forms). Deterministic: run it again and nothing
changes. Needs Debian's python3-onnx (and numpy) only. Usage: tests/fuzz/make_corpus.py"""
import gzip, json, os, shutil, struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def put(loader, name, data):
    folder = os.path.join(HERE, "corpus", loader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(payload)


def safetensors(tensors, metadata):
    header, data = {}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def mlp(gelu_erf, matmul):
    rng = np.random.default_rng(7)
    inits, nodes = [], []
    def weight(name, shape):
        inits.append(numpy_helper.from_array(rng.normal(0, 0.5, shape).astype(np.float32), name))
        return name
    nodes.append(helper.make_node("Flatten", ["input"], ["flat"], name="/0/Flatten", axis=1))
    nodes.append(helper.make_node("Gemm", ["flat", weight("1.weight", (6, 8)), weight("1.bias", (6,))], ["h1"],
                                  name="/1/Gemm", transB=1))
    nodes.append(helper.make_node("Relu", ["h1"], ["a1"], name="/2/Relu"))
    if matmul:
        nodes.append(helper.make_node("MatMul", ["a1", weight("onnx::MatMul_9", (6, 5))], ["m"], name="/3/MatMul"))
        nodes.append(helper.make_node("Add", [weight("3.bias", (5,)), "m"], ["h2"], name="/3/Add"))
    else:
        nodes.append(helper.make_node("Gemm", ["a1", weight("3.weight", (5, 6)), weight("3.bias", (5,))], ["h2"],
                                      name="/3/Gemm", transB=1))
    if gelu_erf:
        for name, value in (("sqrt2", 1.4142135), ("one", 1.0), ("half", 0.5)):
            nodes.append(helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.float32(value))))
        nodes += [helper.make_node("Div", ["h2", "sqrt2"], ["d"]), helper.make_node("Erf", ["d"], ["e"]),
                  helper.make_node("Add", ["e", "one"], ["p"]), helper.make_node("Mul", ["h2", "p"], ["q"]),
                  helper.make_node("Mul", ["q", "half"], ["a2"])]
    else:
        nodes.append(helper.make_node("LayerNormalization", ["h2", weight("ln.scale", (5,)), weight("ln.bias", (5,))],
                                      ["n"], axis=1, epsilon=1e-5))
        nodes.append(helper.make_node("Tanh", ["n"], ["a2"]))
    nodes.append(helper.make_node("Gemm", ["a2", weight("5.weight", (3, 5)), weight("5.bias", (3,))], ["logits"],
                                  name="/5/Gemm", transB=1))
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 2, 4])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 3])], inits)
    model = helper.make_model(graph, producer_name="pytorch", opset_imports=[helper.make_opsetid("", 14 if gelu_erf else 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def main():
    shutil.rmtree(os.path.join(HERE, "corpus"), ignore_errors=True)
    pixels = [(i * 37 + i // 7) & 0xFF for i in range(5 * 4 * 4)]
    put("idx", "images.idx", idx([5, 4, 4], pixels))
    put("idx", "labels.idx", idx([5], [3, 1, 4, 1, 5]))
    put("idx", "images-rgb.idx", idx([2, 3, 2, 2], pixels[:24]))
    put("idx", "images.idx.gz", gzip.compress(idx([5, 4, 4], pixels), mtime=0))

    put("csv", "numbers.csv", b"x,y,label\n0.5,-1.25,0\n1e-3,2,1\n-0.0,3.5,2\n")
    put("csv", "names.csv", b'"petal, length",width,label\r\n1.4,0.2,"setosa"\r\n4.7,1.4,versicolor\r\n\r\n'
                            b'6.0,2.5,"vir""ginica"\r\n')

    for example in sorted(os.listdir(os.path.join(ROOT, "resources", "examples"))):
        with open(os.path.join(ROOT, "resources", "examples", example), "rb") as f:
            put("project", example, f.read())

    w = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    put("safetensors", "f32.safetensors", safetensors(
        {"fc1.weight": ("F32", [2, 3], w.astype("<f4").tobytes()), "fc1.bias": ("F32", [2], b"\0" * 8)},
        {"format": "pt", "ffnlab": "0.1"}))
    put("safetensors", "mixed.safetensors", safetensors(
        {"a": ("F16", [3], np.array([1, -2, 0.5], "<f2").tobytes()), "b": ("F64", [1, 2], np.array([[3, 4]], "<f8").tobytes()),
         "empty": ("F32", [0], b"")}, {}))

    put("onnx", "mlp-gemm-layernorm.onnx", mlp(gelu_erf=False, matmul=False))
    put("onnx", "mlp-matmul-gelu.onnx", mlp(gelu_erf=True, matmul=True))


if __name__ == "__main__":
    main()
