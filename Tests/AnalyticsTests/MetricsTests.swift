import Testing
@testable import Analytics
import Support

@Suite struct MetricsTests {
    /// Random inputs with ties, for the scikit-learn comparison.
    static func inputs(n: Int = 200, classes: Int = 4, seed: UInt64 = 3) -> [String: Any] {
        var rng = SplitMix64(seed: seed)
        let labels = (0..<n).map { _ in rng.below(2) }
        // Scores rounded to 0.05 so that ties occur, and shifted by the label so AUROC > 0.5.
        let scores = labels.map { Float((Double(rng.unit()) + 0.4 * Double($0)) * 20).rounded() / 20 }
        let multi = (0..<n).map { $0 < classes ? $0 : rng.below(classes) }
        var probs = [Float]()
        for l in multi {
            var row = (0..<classes).map { c in rng.unit() + (c == l ? 0.8 : 0) }
            let s = row.reduce(0, +); row = row.map { $0 / s }
            probs += row
        }
        let predictions = labels.map { rng.unit() < 0.75 ? $0 : 1 - $0 }
        let multiPred = multi.map { rng.unit() < 0.6 ? $0 : rng.below(classes) }
        let targets = (0..<n).map { _ in 20 + 60 * rng.unit() }
        let values = targets.map { $0 + 10 * (rng.unit() - 0.5) }
        return ["labels": labels, "scores": scores, "multi_labels": multi, "probabilities": probs, "classes": classes,
                "predictions": predictions, "multi_predictions": multiPred, "targets": targets, "values": values]
    }

    @Test func everyMetricEqualsScikitLearn() throws {
        let a = Self.inputs()
        guard let want = try Oracle.answer("metrics") else { return }
        let labels = a["labels"] as! [Int], scores = a["scores"] as! [Float], multi = a["multi_labels"] as! [Int]
        let got: [String: Double?] = [
            "auroc": Metrics.auroc(labels: labels, scores: scores),
            "macro_auroc": Metrics.macroAUROC(labels: multi, probabilities: a["probabilities"] as! [Float], classes: 4),
            "average_precision": Metrics.averagePrecision(labels: labels, scores: scores),
            "accuracy": Metrics.accuracy(labels: multi, predictions: a["multi_predictions"] as! [Int]),
            "f1": Metrics.f1(labels: labels, predictions: a["predictions"] as! [Int]),
            "macro_f1": Metrics.macroF1(labels: multi, predictions: a["multi_predictions"] as! [Int]),
            "mae": Metrics.meanAbsoluteError(targets: a["targets"] as! [Float], predictions: a["values"] as! [Float]),
            "pearson": pearson(a["targets"] as! [Float], a["values"] as! [Float]),
        ]
        for (name, value) in got {
            let expected = Oracle.number(want, name)
            #expect(value != nil, "\(name) undefined")
            #expect(abs((value ?? .nan) - expected) < 1e-6, "\(name): \(String(describing: value)) vs scikit-learn \(expected)")
        }
    }

    @Test func undefinedMetricsAreNilNotNaN() {
        #expect(Metrics.auroc(labels: [1, 1, 1], scores: [0.1, 0.2, 0.3]) == nil)
        #expect(Metrics.averagePrecision(labels: [0, 0], scores: [0.1, 0.2]) == nil)
        #expect(Metrics.macroAUROC(labels: [0, 1, 1], probabilities: [0.5, 0.3, 0.2, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1], classes: 3) == nil)
        #expect(pearson([Float](arrayLiteral: 1, 1, 1), [Float](arrayLiteral: 1, 2, 3)) == nil)
        #expect(Metrics.accuracy(labels: [], predictions: []) == nil)
    }

    @Test func handWorkedValues() {
        // One positive below one negative out of 2×2 pairs: AUROC 3/4.
        #expect(Metrics.auroc(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8]) == 0.75)
        // Ties count one half.
        #expect(Metrics.auroc(labels: [0, 1], scores: [0.5, 0.5]) == 0.5)
        // AP = (1/2)·1 + (1/2)·(2/3).
        #expect(abs(Metrics.averagePrecision(labels: [1, 0, 1], scores: [0.9, 0.8, 0.7])! - (0.5 + 1.0 / 3)) < 1e-12)
        let macro: Double = (1 + 2.0 / 3) / 3
        #expect(abs(Metrics.macroF1(labels: [0, 1, 2], predictions: [0, 1, 1])! - macro) < 1e-12)
    }

    @Test func bootstrapIntervalBracketsTheEstimateAndMovesSubjectsWhole() {
        let a = Self.inputs(n: 300)
        let labels = a["labels"] as! [Int], scores = a["scores"] as! [Float]
        let groups = (0..<300).map { Int32($0 / 6) }
        var sizes: Set<Int> = []
        let e = Bootstrap.estimate(groups: groups, replicates: 200) { idx in
            sizes.insert(idx.count)
            return Metrics.auroc(labels: idx.map { labels[$0] }, scores: idx.map { scores[$0] })
        }!
        #expect(e.lower <= e.value && e.value <= e.upper)
        #expect(e.upper - e.lower > 0.01 && e.upper - e.lower < 0.3)
        #expect(e.replicates == 200)
        #expect(sizes.allSatisfy { $0 == 300 })   // 50 subjects × 6 segments, drawn whole
        // A statistic that is never defined gives no estimate at all.
        #expect(Bootstrap.estimate(groups: groups, replicates: 10) { _ in nil } == nil)
    }
}
