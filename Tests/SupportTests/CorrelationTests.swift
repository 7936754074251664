import Foundation
import Support
import Testing
import TestSupport

/// `pearson` and `rmse` against scipy.stats.pearsonr and numpy, and the nil convention.
@Suite struct CorrelationTests {
    @Test func equalScipyAndNumpy() throws {
        if let missing = Python.missing(["numpy", "scipy"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipped: Python modules missing: \(missing)"); return
        }
        var g = SplitMix64(seed: 3)
        // Independent, correlated, anti-correlated, offset by 1e6 (cancellation), short.
        var cases: [([Float], [Float])] = []
        for (n, slope, offset) in [(1250, 0.0, 0.0), (1250, 0.8, 0.0), (400, -2.0, 0.0), (1000, 0.5, 1e6), (3, 1.0, 0.0)] {
            let x = (0..<n).map { _ in Float(g.uniform() - 0.5 + offset) }
            let y = x.map { Float(slope * (Double($0) - offset)) + Float(g.uniform() - 0.5) }
            cases.append((x, y))
        }
        let folder = try TestSupport.temporaryFolder("correlation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases.map { [$0.0.map(Double.init), $0.1.map(Double.init)] }).write(to: file)
        let r = try Python.run(["-c", """
        import json, sys
        import numpy as np
        from scipy.stats import pearsonr
        for x, y in json.load(open(sys.argv[1])):
            x = np.asarray(x, np.float32).astype(np.float64); y = np.asarray(y, np.float32).astype(np.float64)
            print(repr(float(pearsonr(x, y)[0])), repr(float(np.sqrt(np.mean((x - y) ** 2)))))
        """, file.path])
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
        for ((x, y), want) in zip(cases, lines) {
            let got = try #require(pearson(x, y))
            #expect(abs(got - want[0]) < 1e-9, "n \(x.count): r \(got) vs scipy \(want[0])")
            #expect(abs(try #require(rmse(x, y)) - want[1]) <= 1e-12 * max(1, want[1]), "n \(x.count): rmse")
        }
    }

    @Test func undefinedResultsAreNil() {
        let flat: [Float] = [2, 2, 2, 2], ramp: [Float] = [1, 2, 3, 4]
        let empty: [Float] = [], one: [Float] = [1], short: [Float] = [1, 2, 3]
        let withNaN: [Float] = [1, .nan, 3, 4], withInf: [Float] = [1, .infinity, 3, 4]
        #expect(pearson(flat, ramp) == nil && pearson(ramp, flat) == nil)
        #expect(pearson(empty, empty) == nil && pearson(one, one) == nil)
        #expect(pearson(ramp, short) == nil)
        #expect(pearson(withNaN, ramp) == nil && pearson(withInf, ramp) == nil)
        #expect(pearson(ramp, ramp.map { -$0 }) == -1 && pearson(ramp, ramp.map { 3 * $0 + 1 }) == 1)
        #expect(rmse(empty, empty) == nil && rmse(ramp, one) == nil)
        #expect(rmse([Float](arrayLiteral: 0, 0), [3, 4]) == (12.5).squareRoot())
        #expect(rmse(flat, flat) == 0)
        #expect(rmse([Float](arrayLiteral: .nan, 1), [1, 1])!.isNaN)
        // Slices and mixed precisions read the same values.
        #expect(pearson(ramp[1...], [Double](arrayLiteral: 5, 7, 6)) == pearson([Float](arrayLiteral: 2, 3, 4), [Float](arrayLiteral: 5, 7, 6)))
    }
}
