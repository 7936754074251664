// MARK: - Owned raw buffers for calling the engine from tests

/// An owned float buffer that hands the engine raw pointers and reads back as an array.
final class FloatBuffer {
    let count: Int
    let ptr: UnsafeMutablePointer<Float>

    init(_ values: [Float]) {
        count = values.count
        ptr = .allocate(capacity: max(count, 1))
        ptr.initialize(repeating: 0, count: max(count, 1))
        for i in 0..<count { ptr[i] = values[i] }
    }

    convenience init(zeros count: Int) { self.init([Float](repeating: 0, count: count)) }
    convenience init(repeating value: Float, count: Int) { self.init([Float](repeating: value, count: count)) }

    deinit { ptr.deallocate() }

    var p: UnsafePointer<Float> { UnsafePointer(ptr) }
    var values: [Float] { Array(UnsafeBufferPointer(start: ptr, count: count)) }
}

/// An owned Int32 buffer (offsets, indices, positions).
final class IndexBuffer {
    let count: Int
    let ptr: UnsafeMutablePointer<Int32>

    init(_ values: [Int32]) {
        count = values.count
        ptr = .allocate(capacity: max(count, 1))
        ptr.initialize(repeating: 0, count: max(count, 1))
        for i in 0..<count { ptr[i] = values[i] }
    }

    deinit { ptr.deallocate() }

    var p: UnsafePointer<Int32> { UnsafePointer(ptr) }
}
