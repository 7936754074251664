import Foundation

/// The downstream metrics, each defined as scikit-learn (or scipy) computes it so the two
/// agree on the same inputs. Every function returns nil instead of NaN when the metric is
/// undefined (one class only, constant input, empty input).
public enum Metrics {
    // MARK: - Ranking metrics

    /// Area under the ROC curve for binary labels (sklearn `roc_auc_score`): the
    /// Mann–Whitney statistic with tied scores counted one half.
    /// - Parameters: labels: (n) 0/1; scores: (n), higher means class 1.
    public static func auroc(labels: [Int], scores: [Float]) -> Double? {
        let pos = labels.filter { $0 == 1 }.count, neg = labels.count - pos
        guard pos > 0, neg > 0, labels.count == scores.count else { return nil }
        let ranks = averageRanks(scores)
        var sum = 0.0
        for (l, r) in zip(labels, ranks) where l == 1 { sum += r }
        return (sum - Double(pos) * Double(pos + 1) / 2) / (Double(pos) * Double(neg))
    }

    /// Macro one-vs-rest AUROC (sklearn `roc_auc_score(multi_class="ovr", average="macro")`).
    /// - Parameters: labels: (n) in 0..<classes; probabilities: (n, classes) row-major.
    /// - Returns: nil unless every class is present and at least two are.
    public static func macroAUROC(labels: [Int], probabilities: [Float], classes: Int) -> Double? {
        let n = labels.count
        guard classes >= 2, probabilities.count == n * classes else { return nil }
        if classes == 2 { return auroc(labels: labels, scores: (0..<n).map { probabilities[$0 * 2 + 1] }) }
        var total = 0.0
        for c in 0..<classes {
            guard let a = auroc(labels: labels.map { $0 == c ? 1 : 0 }, scores: (0..<n).map { probabilities[$0 * classes + c] }) else { return nil }
            total += a
        }
        return total / Double(classes)
    }

    /// Average precision (sklearn `average_precision_score`): Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the
    /// distinct score thresholds, highest first.
    public static func averagePrecision(labels: [Int], scores: [Float]) -> Double? {
        let pos = labels.filter { $0 == 1 }.count
        guard pos > 0, labels.count == scores.count else { return nil }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0, fp = 0, lastRecall = 0.0, ap = 0.0
        var i = 0
        while i < order.count {
            let s = scores[order[i]]
            while i < order.count && scores[order[i]] == s {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            let recall = Double(tp) / Double(pos)
            ap += (recall - lastRecall) * Double(tp) / Double(tp + fp)
            lastRecall = recall
        }
        return ap
    }

    // MARK: - Label metrics

    /// Fraction of predictions equal to the labels (sklearn `accuracy_score`).
    public static func accuracy(labels: [Int], predictions: [Int]) -> Double? {
        guard !labels.isEmpty, labels.count == predictions.count else { return nil }
        return Double(zip(labels, predictions).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// F1 of class 1 (sklearn `f1_score`, binary; 0 when there is no true or predicted positive).
    public static func f1(labels: [Int], predictions: [Int]) -> Double? {
        guard !labels.isEmpty, labels.count == predictions.count else { return nil }
        return f1(of: 1, labels, predictions)
    }

    /// Unweighted mean of per-class F1 over the classes present in labels or predictions
    /// (sklearn `f1_score(average="macro")`).
    public static func macroF1(labels: [Int], predictions: [Int]) -> Double? {
        guard !labels.isEmpty, labels.count == predictions.count else { return nil }
        let classes = Set(labels).union(predictions).sorted()
        return classes.reduce(0.0) { $0 + f1(of: $1, labels, predictions) } / Double(classes.count)
    }

    // MARK: - Regression metrics

    /// Mean absolute error (sklearn `mean_absolute_error`).
    public static func meanAbsoluteError(targets: [Float], predictions: [Float]) -> Double? {
        guard !targets.isEmpty, targets.count == predictions.count else { return nil }
        return zip(targets, predictions).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(targets.count)
    }

    // MARK: - Internal API

    /// 1-based ranks with ties given their average rank.
    static func averageRanks(_ x: [Float]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for t in i...j { ranks[order[t]] = r }
            i = j + 1
        }
        return ranks
    }

    private static func f1(of c: Int, _ labels: [Int], _ predictions: [Int]) -> Double {
        var tp = 0, fp = 0, fn = 0
        for (l, p) in zip(labels, predictions) {
            if p == c && l == c { tp += 1 } else if p == c { fp += 1 } else if l == c { fn += 1 }
        }
        return tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
    }
}
