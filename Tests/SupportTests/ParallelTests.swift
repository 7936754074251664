import Foundation
import Support
import Testing

@Suite struct ParallelTests {
    struct Failure: Error, Equatable { var index: Int }

    @Test func everyIterationRunsOnce() {
        for n in [0, 1, 2, 7, 1000] {
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: max(n, 1))
            counts.initialize(repeating: 0, count: max(n, 1))
            defer { counts.deallocate() }
            let shared = SendablePointer(counts)
            parallelFor(n) { i in shared[i] += 1 }
            #expect((0..<n).allSatisfy { counts[$0] == 1 }, "n \(n)")
        }
    }

    @Test func rethrowsTheFirstErrorAfterEveryIterationEnded() {
        let done = UnsafeMutablePointer<Bool>.allocate(capacity: 64)
        done.initialize(repeating: false, count: 64)
        defer { done.deallocate() }
        let shared = SendablePointer(done)
        #expect(throws: Failure(index: 13)) {
            try parallelFor(64) { (i: Int) throws(Failure) in
                shared[i] = true
                if i == 13 { throw Failure(index: 13) }
            }
        }
        #expect((0..<64).allSatisfy { done[$0] })
        // Several failures: one of them comes back.
        do {
            try parallelFor(32) { (i: Int) throws(Failure) in if i % 2 == 1 { throw Failure(index: i) } }
            Issue.record("no error")
        } catch {
            #expect(error.index % 2 == 1)
        }
    }

    @Test func readOnlyPointerReadsTheSameMemory() {
        let values: [Float] = [1, 2, 3]
        values.withUnsafeBufferPointer { b in
            let p = SendablePointer(readOnly: b.baseAddress!)
            #expect(p[2] == 3 && p.pointer == UnsafeMutablePointer(mutating: b.baseAddress!))
        }
    }
}
