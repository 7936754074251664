import CHDF5
import Foundation

/// Scalar attributes on one HDF5 object: strings (variable or fixed length) and numbers.
struct H5Attributes {
    let context: H5Context
    let object: H5Handle
    let path: String

    // MARK: - Reading

    /// The names of all attributes, in name order.
    func names() throws -> [String] {
        final class Collector { var names: [String] = [] }
        let collector = Collector()
        try withHDF5(context.url) {
            let status = withExtendedLifetime(collector) {
                H5Aiterate2(object.id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                    guard let name, let data else { return 0 }
                    Unmanaged<Collector>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
                    return 0
                }, Unmanaged.passUnretained(collector).toOpaque())
            }
            try context.check(status, "could not list the attributes of \(path)")
        }
        return collector.names
    }

    /// True when the attribute exists.
    func has(_ name: String) -> Bool {
        withHDF5(context.url) { H5Aexists(object.id, name) > 0 }
    }

    /// Every scalar attribute as text: strings as they are, integers and floats formatted.
    /// Array-valued attributes are skipped.
    func all() throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try names() {
            if let value = try string(name) { result[name] = value }
        }
        return result
    }

    /// The attribute `name` as text, or nil when it is absent or not a scalar.
    func string(_ name: String) throws -> String? {
        try withHDF5(context.url) {
            guard H5Aexists(object.id, name) > 0 else { return nil }
            let attr = try context.handle(H5Aopen(object.id, name, m2ae_H5P_DEFAULT()),
                                          "could not open attribute \(name) of \(path)", close: H5Aclose)
            let space = H5Handle(H5Aget_space(attr.id), close: H5Sclose)
            guard let space, H5Sget_simple_extent_npoints(space.id) == 1 else { return nil }
            guard let type = H5Handle(H5Aget_type(attr.id), close: H5Tclose) else {
                throw context.error("could not read attribute \(name) of \(path)")
            }
            switch H5Tget_class(type.id) {
            case H5T_STRING:
                if H5Tis_variable_str(type.id) > 0 {
                    let mem = H5Type.utf8String()
                    var pointer: UnsafeMutablePointer<CChar>? = nil
                    try context.check(H5Aread(attr.id, mem.id, &pointer), "could not read attribute \(name) of \(path)")
                    defer { H5free_memory(pointer) }
                    return pointer.map { String(cString: $0) } ?? ""
                }
                let size = H5Tget_size(type.id)
                var bytes = [UInt8](repeating: 0, count: size + 1)
                try context.check(H5Aread(attr.id, type.id, &bytes), "could not read attribute \(name) of \(path)")
                let end = bytes.firstIndex(of: 0) ?? size
                return String(decoding: bytes[..<end], as: UTF8.self)
            case H5T_INTEGER:
                var v: Int64 = 0
                try context.check(H5Aread(attr.id, H5Type.int64, &v), "could not read attribute \(name) of \(path)")
                return String(v)
            case H5T_FLOAT:
                var v: Double = 0
                try context.check(H5Aread(attr.id, H5Type.float64, &v), "could not read attribute \(name) of \(path)")
                return String(v)
            default:
                return nil
            }
        }
    }

    /// The attribute `name` as an integer, or nil when absent or not an integer.
    func int(_ name: String) throws -> Int? {
        try withHDF5(context.url) {
            guard H5Aexists(object.id, name) > 0 else { return nil }
            let attr = try context.handle(H5Aopen(object.id, name, m2ae_H5P_DEFAULT()),
                                          "could not open attribute \(name) of \(path)", close: H5Aclose)
            guard let type = H5Handle(H5Aget_type(attr.id), close: H5Tclose),
                  H5Tget_class(type.id) == H5T_INTEGER else { return nil }
            var v: Int64 = 0
            try context.check(H5Aread(attr.id, H5Type.int64, &v), "could not read attribute \(name) of \(path)")
            return Int(v)
        }
    }

    // MARK: - Writing

    /// Sets a scalar UTF-8 string attribute, replacing any attribute of that name.
    func set(_ name: String, _ value: String) throws {
        try withHDF5(context.url) {
            try remove(name)
            let type = H5Type.utf8String()
            let space = try context.handle(H5Screate(H5S_SCALAR), "could not create a dataspace", close: H5Sclose)
            let attr = try context.handle(H5Acreate2(object.id, name, type.id, space.id, m2ae_H5P_DEFAULT(), m2ae_H5P_DEFAULT()),
                                          "could not create attribute \(name) on \(path)", close: H5Aclose)
            try value.withCString { cs in
                var pointer: UnsafePointer<CChar>? = cs
                try context.check(H5Awrite(attr.id, type.id, &pointer), "could not write attribute \(name) on \(path)")
            }
        }
    }

    /// Sets a scalar 32-bit integer attribute, replacing any attribute of that name.
    func set(_ name: String, _ value: Int32) throws {
        try withHDF5(context.url) {
            try remove(name)
            let space = try context.handle(H5Screate(H5S_SCALAR), "could not create a dataspace", close: H5Sclose)
            let attr = try context.handle(H5Acreate2(object.id, name, m2ae_H5T_STD_I32LE(), space.id, m2ae_H5P_DEFAULT(), m2ae_H5P_DEFAULT()),
                                          "could not create attribute \(name) on \(path)", close: H5Aclose)
            var v = value
            try context.check(H5Awrite(attr.id, H5Type.int32, &v), "could not write attribute \(name) on \(path)")
        }
    }

    /// Removes the attribute if present.
    func remove(_ name: String) throws {
        try withHDF5(context.url) {
            guard H5Aexists(object.id, name) > 0 else { return }
            try context.check(H5Adelete(object.id, name), "could not replace attribute \(name) on \(path)")
        }
    }
}
