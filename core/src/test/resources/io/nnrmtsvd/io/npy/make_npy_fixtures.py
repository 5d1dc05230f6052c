"""Writes the .npy fixtures read by NpyFilesTest, with numpy's own writer. Every file holds the
3 x 4 matrix (4 i + j) / 8, in a different dtype, order or format version.
Run: python3 make_npy_fixtures.py
"""
import numpy as np

m = (np.arange(12, dtype=np.float64) / 8).reshape(3, 4)


def save(name, array, version=None):
    with open(name, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


save("c_le_f8.npy", m.astype("<f8"))
save("c_be_f8.npy", m.astype(">f8"))
save("fortran_le_f8.npy", np.asfortranarray(m.astype("<f8")))
save("fortran_be_f4.npy", np.asfortranarray(m.astype(">f4")))
save("c_le_f4.npy", m.astype("<f4"))
save("c_le_f2.npy", m.astype("<f2"))
save("v2_le_f8.npy", m.astype("<f8"), version=(2, 0))
save("v3_le_f4.npy", m.astype("<f4"), version=(3, 0))
save("vector_f8.npy", np.arange(3, dtype="<f8"))
save("int32.npy", np.arange(12, dtype="<i4").reshape(3, 4))
