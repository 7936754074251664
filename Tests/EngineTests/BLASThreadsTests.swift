import Dispatch
import Testing
@testable import Engine

/// Overlapping single-threaded sections (two embedders in one process) must leave the thread
/// count as they found it. The sections here count on a stand-in for OpenBLAS's setting: the
/// real one is process-wide, and changing it would change other tests' products in the last
/// bits (docs/engine.md, "Reproducibility").
@Test func overlappingSingleThreadedSectionsRestoreTheCount() {
    let setting = Setting(2)
    let sections = SingleThreadedSections(get: { setting.value }, set: { setting.value = $0 })
    // A enters, B enters, A leaves, B leaves: the order in which saving and restoring per
    // section left the process on one thread.
    let aIn = DispatchSemaphore(value: 0), bIn = DispatchSemaphore(value: 0), aOut = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    let seen = Setting(0), seenAfterA = Setting(0)
    DispatchQueue.global().async(group: done) {
        sections.run {
            seen.value = setting.value
            aIn.signal()
            bIn.wait()
        }
        aOut.signal()
    }
    DispatchQueue.global().async(group: done) {
        aIn.wait()
        sections.run {
            bIn.signal()
            aOut.wait()
            seenAfterA.value = setting.value
        }
    }
    done.wait()
    #expect(seen.value == 1, "one thread inside the first section")
    #expect(seenAfterA.value == 1, "still one thread while the second section is open")
    #expect(setting.value == 2, "the count the first section found is restored by the last to leave")
}

@Test func nestedSectionsRestoreOnceAndErrorsStillRestore() {
    let setting = Setting(4)
    let sections = SingleThreadedSections(get: { setting.value }, set: { setting.value = $0 })
    struct Failure: Error {}
    #expect(throws: Failure.self) {
        try sections.run {
            sections.run { #expect(setting.value == 1) }
            #expect(setting.value == 1, "the inner section does not restore while the outer is open")
            throw Failure()
        }
    }
    #expect(setting.value == 4)
}

/// A thread-safe integer.
private final class Setting: @unchecked Sendable {
    private var stored: Int
    private let queue = DispatchQueue(label: "setting")
    init(_ value: Int) { stored = value }
    var value: Int {
        get { queue.sync { stored } }
        set { queue.sync { stored = newValue } }
    }
}
