import Testing
@testable import Analytics

@Suite struct ProbeTests {
    /// Features whose first two columns carry the class, with unequal class sizes.
    static func data(n: Int, dim: Int, classes: Int, seed: UInt64 = 5) -> (x: [Float], labels: [Int], groups: [Int32]) {
        var rng = SeededRandom(seed: seed)
        var x = [Float](), labels = [Int](), groups = [Int32]()
        for i in 0..<n {
            let l = rng.unit() < 0.5 ? 0 : 1 + rng.below(classes - 1)   // class 0 is half the data
            labels.append(l); groups.append(Int32(i / 4))
            for j in 0..<dim { x.append(Fixtures.gaussian(&rng) + (j == l % dim ? 1.2 : 0) + 3 * Float(j)) }
        }
        return (x, labels, groups)
    }

    static func logisticInput(classes: Int) -> [String: Any] {
        let d = data(n: 160, dim: 5, classes: classes)
        return ["input": d.x, "dim": 5, "labels": d.labels, "C": 0.5]
    }

    static func ridgeData() -> (x: [Float], y: [Float]) {
        let d = data(n: 120, dim: 4, classes: 2)
        var rng = SeededRandom(seed: 9)
        return (d.x, (0..<120).map { i in 2 * d.x[i * 4] - d.x[i * 4 + 2] + rng.unit() })
    }

    static func ridgeInput() -> [String: Any] {
        let d = ridgeData()
        return ["input": d.x, "dim": 4, "targets": d.y, "alpha": 3]
    }

    @Test(arguments: [2, 3])
    func logisticEqualsScikitLearn(classes: Int) throws {
        let d = Self.data(n: 160, dim: 5, classes: classes)
        let names = (0..<classes).map { "c\($0)" }
        let head = try LinearProbe.fit(d.x, dim: 5, target: .classes(d.labels, names: names), regularisation: 0.5)
        #expect(head.kind == (classes == 2 ? .logistic : .multinomial))
        guard let want = try Oracle.answer("logistic\(classes)") else { return }
        let got = head.predict(d.x), expected = Oracle.floats(want, "probabilities")
        #expect(got.count == expected.count)
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 2e-3, "max |Δp| = \(worst)")
    }

    @Test func ridgeEqualsScikitLearn() throws {
        let d = Self.ridgeData()
        let head = try LinearProbe.fit(d.x, dim: 4, target: .values(d.y, unit: "years"), regularisation: 3)
        guard let want = try Oracle.answer("ridge") else { return }
        let worst = zip(head.predict(d.x), Oracle.floats(want, "predictions")).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-3, "max |Δ| = \(worst)")
    }

    @Test func crossValidationChoosesAGridValueAndLearnsTheTask() throws {
        let d = Self.data(n: 400, dim: 6, classes: 3)
        let (head, losses) = try LinearProbe.fitCV(d.x, dim: 6, target: .classes(d.labels, names: ["a", "b", "c"]), groups: d.groups)
        #expect(losses.count == LinearProbe.logisticGrid.count)
        #expect(LinearProbe.logisticGrid.contains(head.regularisation))
        #expect(head.regularisation == LinearProbe.logisticGrid[losses.indices.min { losses[$0] < losses[$1] }!])
        let auc = Metrics.macroAUROC(labels: d.labels, probabilities: head.predict(d.x), classes: 3)!
        #expect(auc > 0.75)
    }

    /// Above the row budget the grid is cross-validated on whole subjects up to the budget,
    /// and the final head still learns from every row.
    @Test func crossValidationOnASampleOfSubjects() throws {
        let d = Self.data(n: 800, dim: 6, classes: 3)
        let names = ["a", "b", "c"]
        let (head, losses) = try LinearProbe.fitCV(d.x, dim: 6, target: .classes(d.labels, names: names), groups: d.groups, sampleRows: 200)
        let (full, fullLosses) = try LinearProbe.fitCV(d.x, dim: 6, target: .classes(d.labels, names: names), groups: d.groups)
        #expect(losses.count == LinearProbe.logisticGrid.count && losses != fullLosses)
        // The final head is the cold fit on all rows at the chosen value.
        let refit = try LinearProbe.fit(d.x, dim: 6, target: .classes(d.labels, names: names), regularisation: head.regularisation)
        #expect(head == refit)
        let auc = Metrics.macroAUROC(labels: d.labels, probabilities: head.predict(d.x), classes: 3)!
        let fullAUC = Metrics.macroAUROC(labels: d.labels, probabilities: full.predict(d.x), classes: 3)!
        #expect(abs(auc - fullAUC) < 0.01, "sampled \(auc) vs all rows \(fullAUC)")
    }

    /// A fit started from another fit's weights (the regularisation path) ends where a cold fit does.
    @Test func warmStartEndsAtTheSameOptimum() throws {
        let d = Self.data(n: 300, dim: 5, classes: 3)
        let target = ProbeTarget.classes(d.labels, names: ["a", "b", "c"])
        let (_, path) = try LinearProbe.fit(d.x, dim: 5, target: target, regularisation: 0.1, start: nil)
        let (warm, _) = try LinearProbe.fit(d.x, dim: 5, target: target, regularisation: 10, start: path)
        let (cold, _) = try LinearProbe.fit(d.x, dim: 5, target: target, regularisation: 10, start: nil)
        let worst = zip(warm.predict(d.x), cold.predict(d.x)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-3, "max |Δp| = \(worst)")
    }

    @Test func badTargetsAreClearErrors() {
        let x: [Float] = [1, 2, 3, 4]
        #expect(throws: AnalyticsError("probe: only one class (yes) in the labels")) {
            try LinearProbe.fit(x, dim: 1, target: .classes([1, 1, 1, 1], names: ["no", "yes"]), regularisation: 1)
        }
        #expect(throws: AnalyticsError("probe: cross-validation needs at least 2 subjects, got 1")) {
            try LinearProbe.fitCV(x, dim: 1, target: .classes([0, 1, 0, 1], names: ["no", "yes"]), groups: [0, 0, 0, 0])
        }
    }

    @Test func headRoundTripsThroughJSON() throws {
        let d = Self.data(n: 80, dim: 3, classes: 2)
        let head = try LinearProbe.fit(d.x, dim: 3, target: .classes(d.labels, names: ["F", "M"]), regularisation: 1)
        let back = try JSONDecoder().decode(ProbeHead.self, from: JSONEncoder().encode(head))
        #expect(back == head)
    }
}

import Foundation
