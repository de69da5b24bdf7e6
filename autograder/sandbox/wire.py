"""Wire format between the trusted grader and the student process: JSON and raw arrays.

Never pickle. A message is an 8-byte length, a JSON header and zero or more raw
byte frames (array buffers). Values are encoded as plain JSON plus tagged nodes
``{"$": tag, ...}`` for tuples, dicts, arrays, NumPy scalars, complex numbers,
tensors, NumPy generators, opaque object references and callbacks. Decoding
checks every node, caps sizes and depth, and builds only plain Python and NumPy
objects (and torch tensors when torch is importable).

This file is copied into the sandbox and imported by the worker too, so it
depends on nothing but the standard library and NumPy.
"""

import json
import os
import struct

import numpy as np

MAX_HEADER = 16 * 2**20        # bytes of JSON in one message
MAX_FRAMES_TOTAL = 512 * 2**20  # bytes of array data in one message
MAX_FRAMES = 10_000             # frames in one message
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_DIMS = 32
ARRAY_KINDS = "biufc"
GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")


class ProtocolError(Exception):
    """The other side sent something that is not a valid message."""


# --------------------------------------------------------------------------- encoding
def encode(value, frames, on_object, depth=0):
    """Return a JSON-able node for ``value``; array buffers are appended to ``frames``.

    ``on_object(value)`` handles what is not plain data: it returns a node
    (a reference or a callback) or raises ``TypeError``.
    """
    if depth > MAX_DEPTH:
        raise TypeError("value is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray) and not isinstance(value, np.matrix):
        if value.dtype.kind not in ARRAY_KINDS or value.dtype.fields is not None:
            raise TypeError(f"arrays of dtype {value.dtype} cannot be sent")
        frames.append(np.ascontiguousarray(value).tobytes())
        return {"$": "nd", "dtype": value.dtype.str, "shape": list(value.shape),
                "f": len(frames) - 1}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        frames.append(np.asarray(value).tobytes())
        return {"$": "np", "dtype": value.dtype.str, "f": len(frames) - 1}
    if isinstance(value, int):  # int subclasses (bool handled above)
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return {"$": "complex", "v": [value.real, value.imag]}
    if type(value) is list:
        return [encode(v, frames, on_object, depth + 1) for v in value]
    if type(value) is tuple:
        return {"$": "tuple", "v": [encode(v, frames, on_object, depth + 1) for v in value]}
    if type(value) is dict and all(type(k) in (str, int) for k in value):
        return {"$": "dict", "v": [[k, encode(v, frames, on_object, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, np.random.Generator):
        bitgen = type(value.bit_generator).__name__
        if bitgen in GENERATORS:
            return {"$": "generator", "bit_generator": bitgen,
                    "state": encode(value.bit_generator.state, frames, on_object, depth + 1)}
    tensor = _tensor_node(value, frames)
    if tensor is not None:
        return tensor
    return on_object(value)


def _tensor_node(value, frames):
    torch = _torch()
    if torch is None or not isinstance(value, torch.Tensor):
        return None
    device = value.device.type
    value = torch.Tensor.detach(value)  # the base class's methods: subclasses can't intervene
    arr = torch.Tensor.numpy(torch.Tensor.cpu(torch.Tensor.resolve_neg(
        torch.Tensor.resolve_conj(value))))
    node = encode(arr, frames, None)
    node["$"] = "tensor"
    node["requires_grad"] = bool(value.requires_grad)
    node["device"] = device
    return node


def _torch():
    import sys

    return sys.modules.get("torch")


# --------------------------------------------------------------------------- decoding
class _Budget:
    """What one message may still cost to decode: nodes, and each frame at most once."""

    def __init__(self, frames):
        self.nodes = 0
        self.used = set()
        self.frames = frames


def decode(node, frames, on_ref, on_callback=None, depth=0, budget=None):
    """Build a value from ``node``; ``on_ref(id, type)`` and ``on_callback(id)`` resolve handles.

    Bounded whatever the sender does: at most :data:`MAX_NODES` nodes, :data:`MAX_DEPTH`
    levels, and each frame of the message named by one node only, so the decoded value
    is never larger than the message. Raises :class:`ProtocolError` on anything else.
    """
    budget = budget or _Budget(frames)
    budget.nodes += 1
    if budget.nodes > MAX_NODES or depth > MAX_DEPTH:
        raise ProtocolError("value too large or nested too deeply")
    if node is None or isinstance(node, (bool, str)):
        return node
    if type(node) is int:
        if abs(node) > 2**4096:
            raise ProtocolError("integer too large")
        return node
    if type(node) is float:
        return node
    if type(node) is list:
        return [decode(v, frames, on_ref, on_callback, depth + 1, budget) for v in node]
    if type(node) is not dict or not isinstance(node.get("$"), str):
        raise ProtocolError("malformed value")
    tag = node["$"]
    if tag == "tuple":
        return tuple(decode(v, frames, on_ref, on_callback, depth + 1, budget)
                     for v in _list(node, "v"))
    if tag == "dict":
        out = {}
        for item in _list(node, "v"):
            if not (type(item) is list and len(item) == 2 and type(item[0]) in (str, int)):
                raise ProtocolError("malformed dict")
            out[item[0]] = decode(item[1], frames, on_ref, on_callback, depth + 1, budget)
        return out
    if tag == "complex":
        v = _list(node, "v")
        if len(v) != 2 or not all(type(x) in (int, float) for x in v):
            raise ProtocolError("malformed complex")
        try:
            return complex(v[0], v[1])
        except OverflowError:
            raise ProtocolError("malformed complex") from None
    if tag in ("nd", "tensor"):
        arr = _array(node, budget)
        return arr if tag == "nd" else _tensor(arr, node)
    if tag == "np":
        dtype = _dtype(node.get("dtype"))
        buf = _frame(node, budget)
        if len(buf) != dtype.itemsize:
            raise ProtocolError("malformed scalar")
        return np.frombuffer(buf, dtype=dtype)[0]
    if tag == "generator":
        name = node.get("bit_generator")
        if name not in GENERATORS:
            raise ProtocolError("unknown bit generator")
        gen = np.random.Generator(getattr(np.random, name)())
        state = decode(node.get("state"), frames, _no_ref, None, depth + 1, budget)
        try:
            gen.bit_generator.state = state
        except Exception:
            raise ProtocolError("invalid generator state") from None
        return gen
    if tag == "ref":
        if type(node.get("id")) is not int:
            raise ProtocolError("malformed reference")
        return on_ref(node["id"], str(node.get("type", ""))[:200])
    if tag == "callback":
        if on_callback is None or type(node.get("id")) is not int:
            raise ProtocolError("unexpected callback")
        return on_callback(node["id"])
    raise ProtocolError(f"unknown value tag {tag[:40]!r}")


def _tensor(arr, node):
    torch = _torch()
    if torch is None:
        import torch  # noqa: F811  (a tensor was sent, so the receiver needs torch)
    t = torch.from_numpy(arr)
    device = node.get("device", "cpu")
    if device == "cuda" and torch.cuda.is_available():
        t = t.to("cuda")
    if node.get("requires_grad") is True and t.is_floating_point():
        t.requires_grad_(True)
    return t


def _no_ref(id, type_name):
    raise ProtocolError("unexpected reference")


def _list(node, key):
    v = node.get(key)
    if not isinstance(v, list):
        raise ProtocolError("malformed value")
    return v


def _dtype(text):
    if not isinstance(text, str) or len(text) > 8:
        raise ProtocolError("malformed dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise ProtocolError("malformed dtype") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ProtocolError("dtype not allowed")
    return dtype


def _frame(node, budget):
    f = node.get("f")
    if type(f) is not int or not 0 <= f < len(budget.frames):
        raise ProtocolError("malformed frame index")
    if f in budget.used:
        raise ProtocolError("a frame is named twice")
    budget.used.add(f)
    return budget.frames[f]


def _array(node, budget):
    dtype = _dtype(node.get("dtype"))
    shape = node.get("shape")
    if not (type(shape) is list and len(shape) <= MAX_DIMS
            and all(type(s) is int and 0 <= s <= MAX_FRAMES_TOTAL for s in shape)):
        raise ProtocolError("malformed shape")
    buf = _frame(node, budget)
    count = 1
    for s in shape:
        count *= s
        if count > MAX_FRAMES_TOTAL:
            raise ProtocolError("array size does not match its shape")
    if count * dtype.itemsize != len(buf):
        raise ProtocolError("array size does not match its shape")
    return np.frombuffer(buf, dtype=dtype).reshape(shape).copy()


# --------------------------------------------------------------------------- framing
def pack_message(header, frames=()):
    """The bytes of one message: length, JSON header (with the frame sizes), frames."""
    header = dict(header, frames=[len(f) for f in frames])
    body = json.dumps(header, separators=(",", ":")).encode()
    return b"".join([struct.pack(">Q", len(body)), body, *frames])


def write_message(fd, header, frames=()):
    """Send one message (blocking): a JSON-able dict and raw frames."""
    data = memoryview(pack_message(header, frames))
    while data:
        n = os.write(fd, data)
        data = data[n:]


def read_exact(fd, n, reader):
    """Read exactly ``n`` bytes with ``reader(fd, n)``; ``EOFError`` when the pipe closes."""
    chunks, left = [], n
    while left:
        chunk = reader(fd, min(left, 2**20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_message(fd, reader=os.read, max_bytes=None):
    """Receive one message as ``(header dict, frames list)``, checking every size.

    ``max_bytes`` caps the whole message (header and frames) below the format's own
    limits; it is checked before the frames are read. Anything malformed, including
    JSON nested past the parser's recursion limit, is a :class:`ProtocolError`.
    """
    limit = MAX_HEADER + MAX_FRAMES_TOTAL if max_bytes is None else max_bytes
    (length,) = struct.unpack(">Q", read_exact(fd, 8, reader))
    if length > min(MAX_HEADER, limit):
        raise ProtocolError("message header too large")
    try:
        header = json.loads(read_exact(fd, length, reader))
    except (ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        raise ProtocolError("message header is not JSON, or nested too deeply") from None
    sizes = header.get("frames") if type(header) is dict else None
    if not (type(sizes) is list and len(sizes) <= MAX_FRAMES
            and all(type(s) is int and s >= 0 for s in sizes)):
        raise ProtocolError("malformed message")
    if sum(sizes) > MAX_FRAMES_TOTAL or length + sum(sizes) > limit:
        raise ProtocolError("message too large")
    return header, [read_exact(fd, s, reader) for s in sizes]
