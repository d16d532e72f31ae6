"""The wire format carries plain data only and rejects everything else."""

from __future__ import annotations

import pickle
import struct

import numpy as np
import pytest

from grader.sandbox.codec import Handle, MalformedMessage, UnsupportedValue, decode, encode


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -(2**70),
        3,
        2.5,
        "héllo",
        [1, (2.0, "x")],
        {"a": [None], 3: {"b": False}},
        Handle(7),
    ],
)
def test_plain_values_round_trip(value: object) -> None:
    assert decode(encode(value)) == value


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint8", "bool"])
def test_arrays_round_trip_with_dtype_and_shape(dtype: str) -> None:
    array = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    back = decode(encode(array))
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array)
    assert back.flags.writeable


def test_numpy_scalars_become_zero_d_arrays() -> None:
    back = decode(encode(np.float64(1.5)))
    assert isinstance(back, np.ndarray) and back.shape == () and back == 1.5


def test_non_contiguous_arrays_are_sent_by_value() -> None:
    array = np.arange(12.0).reshape(3, 4).T
    assert np.array_equal(decode(encode(array)), array)


class Subclass(np.ndarray):
    pass


class WithArrayProtocol:
    def __array__(self, dtype=None, copy=None):
        raise AssertionError("__array__ must never be called")


class Payload:
    def __reduce__(self):
        raise AssertionError("__reduce__ must never be called")


@pytest.mark.parametrize(
    "value",
    [
        np.zeros(3).view(Subclass),
        WithArrayProtocol(),
        Payload(),
        pickle.dumps(1),
        np.array([object()], dtype=object),
        np.zeros(2, dtype=[("a", "f8")]),
        {(1, 2): 3},
        type("FloatSubclass", (float,), {})(1.0),
    ],
)
def test_anything_else_is_rejected_without_running_its_code(value: object) -> None:
    with pytest.raises(UnsupportedValue):
        encode(value)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Z",
        b"i\x00",
        b"s" + struct.pack("<I", 10) + b"abc",
        b"a\x03|O8" + b"\x01" + struct.pack("<Q", 1) + struct.pack("<Q", 8) + b"\x00" * 8,
        b"a\x03<f8" + b"\x01" + struct.pack("<Q", 5) + struct.pack("<Q", 8) + b"\x00" * 8,
        b"l" + struct.pack("<I", 2**31) + b"N",
        encode(1) + b"N",
    ],
)
def test_malformed_bytes_are_rejected(data: bytes) -> None:
    with pytest.raises(MalformedMessage):
        decode(data)


def test_pickle_bytes_are_never_unpickled() -> None:
    with pytest.raises(MalformedMessage):
        decode(pickle.dumps({"score": 100}))
