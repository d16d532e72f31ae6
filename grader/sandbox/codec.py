"""The wire format between the grader and the worker: plain data only, never pickle.

Values are None, bool, int, float, str, lists/tuples/dicts of those, numeric or bool
NumPy arrays (raw bytes, dtype and shape), `Handle`s naming an object kept in the worker
and `RngSeed`s standing for a seeded random generator.
The encoder accepts exact types only, so no student-defined method (a subclass's
`__iter__`, an `__array__`, a `__reduce__`) ever runs while encoding; the decoder builds
nothing but these types and validates every length, so a hostile worker cannot make the
grader execute code or allocate without bound.

This module is copied into the sandbox and must import nothing from the grader.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 32
MAX_FRAME_BYTES = 1 << 30
ALLOWED_DTYPES = frozenset(
    np.dtype(name).str
    for name in (
        "float64",
        "float32",
        "float16",
        "int64",
        "int32",
        "int16",
        "int8",
        "uint64",
        "uint32",
        "uint16",
        "uint8",
        "bool",
    )
)
_SCALAR_TYPES = (
    np.float64,
    np.float32,
    np.float16,
    np.int64,
    np.int32,
    np.int16,
    np.int8,
    np.uint64,
    np.uint32,
    np.uint16,
    np.uint8,
    np.bool_,
)


@dataclass(frozen=True)
class Handle:
    """Names an object that stays in the worker (e.g. a layer's cache)."""

    id: int


@dataclass(frozen=True)
class RngSeed:
    """Stands for `numpy.random.default_rng(seed)`, built where the function runs (a
    Generator cannot travel as plain data)."""

    seed: int


class UnsupportedValue(TypeError):
    """A value that the wire format does not carry (and that is never executed)."""


class MalformedMessage(ValueError):
    """Bytes that do not decode to a valid message."""


def describe_type(value: object) -> str:
    """Name a value's type without calling any of its methods."""
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


_U8, _U32, _U64 = struct.Struct("<B"), struct.Struct("<I"), struct.Struct("<Q")
_I64, _F64 = struct.Struct("<q"), struct.Struct("<d")
_ITEMSIZES = {dtype: np.dtype(dtype).itemsize for dtype in ALLOWED_DTYPES}


def encode(value: object) -> bytes:
    out = bytearray()
    _encode(value, out, 0)
    return bytes(out)


def _encode(value: object, out: bytearray, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnsupportedValue("nested more than 32 levels deep")
    cls = type(value)
    if value is None:
        out += b"N"
    elif cls is bool:
        out += b"T" if value else b"F"
    elif cls is int:
        if -(2**63) <= value < 2**63:
            out += b"i" + _I64.pack(value)
        else:
            _encode_text(b"I", str(value), out)
    elif cls is float:
        out += b"f" + _F64.pack(value)
    elif cls is str:
        _encode_text(b"s", value, out)
    elif cls is list or cls is tuple:
        out += (b"l" if cls is list else b"t") + _U32.pack(len(value))
        for item in value:
            _encode(item, out, depth + 1)
    elif cls is dict:
        out += b"d" + _U32.pack(len(value))
        for key, item in value.items():
            if type(key) not in (str, int):
                raise UnsupportedValue(f"a dict key of type {describe_type(key)}")
            _encode(key, out, depth + 1)
            _encode(item, out, depth + 1)
    elif cls is np.ndarray:
        _encode_array(value, out)
    elif cls in _SCALAR_TYPES:
        _encode_array(np.asarray(value), out)
    elif cls is Handle:
        out += b"h" + _U64.pack(value.id)
    elif cls is RngSeed:
        out += b"g" + _U64.pack(value.seed)
    else:
        raise UnsupportedValue(f"an object of type {describe_type(value)}")


def _encode_text(tag: bytes, text: str, out: bytearray) -> None:
    data = text.encode("utf-8", "surrogatepass")
    out += tag + _U32.pack(len(data)) + data


def _encode_array(array: np.ndarray, out: bytearray) -> None:
    dtype = array.dtype.str
    if dtype not in ALLOWED_DTYPES:
        raise UnsupportedValue(f"a numpy array of dtype {array.dtype} (numeric or bool only)")
    data = np.ascontiguousarray(array).tobytes()
    out += b"a" + _U8.pack(len(dtype)) + dtype.encode("ascii")
    out += _U8.pack(array.ndim) + struct.pack(f"<{array.ndim}Q", *array.shape)
    out += _U64.pack(len(data)) + data


def decode(data: bytes) -> object:
    reader = _Reader(memoryview(data))
    value = reader.value(0)
    if reader.pos != len(data):
        raise MalformedMessage("trailing bytes after the message")
    return value


class _Reader:
    """Reads one value at `pos`; every read is bounds-checked first (a kit's tape holds
    hundreds of thousands of values, so each costs as few calls as it can)."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0
        self.end = len(data)

    def take(self, n: int) -> memoryview:
        pos = self.pos
        if n < 0 or pos + n > self.end:
            raise MalformedMessage("message truncated")
        self.pos = pos + n
        return self.data[pos : pos + n]

    def fixed(self, layout: struct.Struct) -> object:
        """The one number `layout` packs, read at the current position."""
        pos = self.pos
        if pos + layout.size > self.end:
            raise MalformedMessage("message truncated")
        self.pos = pos + layout.size
        return layout.unpack_from(self.data, pos)[0]

    def value(self, depth: int) -> object:
        if depth > MAX_DEPTH + 1:
            raise MalformedMessage("nested too deep")
        pos = self.pos
        if pos >= self.end:
            raise MalformedMessage("message truncated")
        self.pos = pos + 1
        tag = self.data[pos]
        if tag == 0x66:  # f
            return self.fixed(_F64)
        if tag == 0x69:  # i
            return self.fixed(_I64)
        if tag == 0x61:  # a
            return self.array()
        if tag == 0x6C or tag == 0x74:  # l, t
            count = self.fixed(_U32)
            items = [self.value(depth + 1) for _ in range(min(count, self.end))]
            if len(items) != count:
                raise MalformedMessage("message truncated")
            return items if tag == 0x6C else tuple(items)
        if tag == 0x73:  # s
            return self.text()
        if tag == 0x4E:  # N
            return None
        if tag == 0x54 or tag == 0x46:  # T, F
            return tag == 0x54
        if tag == 0x64:  # d
            count = self.fixed(_U32)
            result = {}
            for _ in range(count):
                key = self.value(depth + 1)
                if type(key) not in (str, int):
                    raise MalformedMessage("bad dict key")
                result[key] = self.value(depth + 1)
            return result
        if tag == 0x49:  # I
            text = self.text()
            if len(text) > 5000 or not text.lstrip("-").isdigit():
                raise MalformedMessage("bad integer")
            return int(text)
        if tag == 0x68:  # h
            return Handle(self.fixed(_U64))
        if tag == 0x67:  # g
            return RngSeed(self.fixed(_U64))
        raise MalformedMessage(f"unknown tag {bytes([tag])!r}")

    def text(self) -> str:
        size = self.fixed(_U32)
        try:
            return str(self.take(size), "utf-8", "surrogatepass")
        except UnicodeDecodeError as error:
            raise MalformedMessage("bad text") from error

    def array(self) -> np.ndarray:
        dtype = str(self.take(self.fixed(_U8)), "ascii", "replace")
        if dtype not in ALLOWED_DTYPES:
            raise MalformedMessage(f"dtype {dtype} not allowed")
        ndim = self.fixed(_U8)
        if ndim > 32:
            raise MalformedMessage("too many dimensions")
        shape = struct.unpack(f"<{ndim}Q", self.take(8 * ndim))
        size = self.fixed(_U64)
        count = 1
        for extent in shape:
            count *= extent
        if count * _ITEMSIZES[dtype] != size:
            raise MalformedMessage("array size does not match its shape")
        offset = self.pos
        self.take(size)
        array = np.frombuffer(self.data, dtype=dtype, count=count, offset=offset)
        return array.reshape(shape).copy()


def frame(payload: bytes) -> bytes:
    """A payload as sent: its length (8 bytes, little-endian), then the payload."""
    return struct.pack("<Q", len(payload)) + payload


def write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(frame(payload))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int) -> bytes:
    """Blocking read of exactly `size` bytes (the worker's side of the pipe)."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks += chunk
    return bytes(chunks)


def read_frame(fd: int) -> bytes:
    (size,) = struct.unpack("<Q", read_exactly(fd, 8))
    if size > MAX_FRAME_BYTES:
        raise MalformedMessage("frame too large")
    return read_exactly(fd, size)
