import CHDF5

// MARK: - Types and property lists

/// Predefined and derived HDF5 datatypes used by the store (each access holds the HDF5
/// lock: the predefined types are library globals read through `H5open`).
enum H5Type {
    static var float32: hid_t { withHDF5 { m2ae_H5T_NATIVE_FLOAT() } }
    static var float64: hid_t { withHDF5 { m2ae_H5T_NATIVE_DOUBLE() } }
    static var int32: hid_t { withHDF5 { m2ae_H5T_NATIVE_INT32() } }
    static var int64: hid_t { withHDF5 { m2ae_H5T_NATIVE_INT64() } }
    static var int8: hid_t { withHDF5 { m2ae_H5T_NATIVE_INT8() } }
    static var uint8: hid_t { withHDF5 { m2ae_H5T_NATIVE_UINT8() } }

    /// The little-endian file type matching a native memory type (files are portable).
    static func fileType(for native: hid_t) -> hid_t {
        withHDF5 { fileTypeLocked(native) }
    }

    private static func fileTypeLocked(_ native: hid_t) -> hid_t {
        if H5Tequal(native, float32) > 0 { return m2ae_H5T_IEEE_F32LE() }
        if H5Tequal(native, float64) > 0 { return m2ae_H5T_IEEE_F64LE() }
        if H5Tequal(native, int32) > 0 { return m2ae_H5T_STD_I32LE() }
        if H5Tequal(native, int64) > 0 { return m2ae_H5T_STD_I64LE() }
        if H5Tequal(native, int8) > 0 { return m2ae_H5T_STD_I8LE() }
        return m2ae_H5T_STD_U8LE()
    }

    /// A variable-length UTF-8 string type (what h5py reads as `str`).
    static func utf8String() -> H5Handle {
        withHDF5 {
            let t = H5Tcopy(m2ae_H5T_C_S1())
            H5Tset_size(t, m2ae_H5T_VARIABLE())
            H5Tset_cset(t, H5T_CSET_UTF8)
            return H5Handle(t, close: H5Tclose)!
        }
    }
}

/// The HDF5 "unlimited" extent (H5S_UNLIMITED, a macro Swift cannot import).
let h5Unlimited = hsize_t.max
