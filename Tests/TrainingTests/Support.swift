import Foundation
import Model
import Testing
import TestSupport

/// Skips (prints why) when a Python oracle module is missing, or records an issue when
/// `M2AE_REQUIRE_PYTHON=1`. Returns true when the test can go on.
func pythonAvailable(_ modules: [String], _ label: String) -> Bool {
    guard let missing = Python.missing(modules) else { return true }
    if Python.required { Issue.record("Python modules missing: \(missing)") }
    print("skipping \(label): Python modules missing: \(missing)")
    return false
}

/// Relative error of `actual` against `expected`: max |a − e| / max(max |e|, floor).
func relativeError(_ actual: [Float], _ expected: [Float], floor: Float = 1e-6) -> Float {
    precondition(actual.count == expected.count)
    var diff: Float = 0, scale: Float = 0
    for i in actual.indices {
        let d = abs(actual[i] - expected[i])
        diff = max(diff, d.isNaN ? .infinity : d)
        scale = max(scale, abs(expected[i]))
    }
    return diff / max(scale, floor)
}

/// Checks one tensor to a relative tolerance, printing the result llm.c style.
func checkRelative(_ actual: [Float], _ expected: [Float], tol: Float, _ label: String) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)")
        return
    }
    let r = relativeError(actual, expected)
    let ok = r <= tol
    print("\(label): relative error \(r) over \(actual.count) values \(ok ? "OK" : "NOT OK")")
    #expect(ok, "\(label): relative error \(r) > \(tol); first values \(actual.prefix(4)) vs \(expected.prefix(4))")
}
