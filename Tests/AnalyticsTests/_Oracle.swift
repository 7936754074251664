import Foundation
import Testing
import TestSupport

/// Runs reference/analytics_oracle.py (scikit-learn, scipy) once per test run on every
/// comparison case (a Python start with scikit-learn costs seconds), and hands each test
/// its answer.
enum Oracle {
    /// Every comparison case: name → (oracle command, input). Inputs are deterministic.
    static func cases() -> [String: (command: String, input: [String: Any])] {
        var all: [String: (String, [String: Any])] = ["metrics": ("metrics", MetricsTests.inputs())]
        for classes in [2, 3] { all["logistic\(classes)"] = ("logistic", ProbeTests.logisticInput(classes: classes)) }
        all["ridge"] = ("ridge", ProbeTests.ridgeInput())
        all["pca"] = ("pca", ProjectionTests.pcaInput())
        all["trustworthiness"] = ("trustworthiness", ProjectionTests.trustworthinessInput())
        all["knn_cosine"] = ("knn_cosine", FamiliarityTests.oracleInput())
        return all
    }

    /// The batch answer as JSON, or the reason there is none.
    private static let batch: Result<Data, OracleSkip> = {
        if let missing = Python.missing(["sklearn", "scipy", "numpy"]) {
            return .failure(OracleSkip(reason: "analytics oracle skipped: Python module(s) \(missing.joined(separator: ", ")) missing (scripts/bootstrap.sh installs them)"))
        }
        do {
            let folder = try TestSupport.temporaryFolder("m2ae-analytics-oracle")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("input.json")
            let payload = cases().mapValues { ["command": $0.command, "input": $0.input] as [String: Any] }
            try JSONSerialization.data(withJSONObject: payload).write(to: file)
            return .success(Data(try Python.script("reference/analytics_oracle.py", ["batch", file.path]).utf8))
        } catch {
            return .failure(OracleSkip(reason: "analytics oracle failed: \(error)", isFailure: true))
        }
    }()

    /// The oracle's answer for case `name`, or nil (reason printed) when scikit-learn or scipy
    /// is absent; with M2AE_REQUIRE_PYTHON=1, or when the oracle itself fails, that is
    /// recorded as a test failure instead.
    static func answer(_ name: String) throws -> [String: Any]? {
        switch batch {
        case .failure(let skip):
            if skip.isFailure || Python.required { Issue.record(Comment(rawValue: skip.reason)) } else { print(skip.reason) }
            return nil
        case .success(let data):
            let all = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return all?[name] as? [String: Any]
        }
    }

    /// A float array field of an oracle answer.
    static func floats(_ answer: [String: Any], _ key: String) -> [Float] {
        ((answer[key] as? [NSNumber]) ?? []).map { $0.floatValue }
    }

    /// A number field of an oracle answer.
    static func number(_ answer: [String: Any], _ key: String) -> Double {
        (answer[key] as? NSNumber)?.doubleValue ?? .nan
    }
}

/// Why the oracle gave no answers.
struct OracleSkip: Error {
    var reason: String
    var isFailure = false
}
