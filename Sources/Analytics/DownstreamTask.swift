import Store

/// The probed downstream tasks of the design doc (cross-modal reconstruction is the
/// decoder's own and reported by `m2ae reconstruct`).
public enum DownstreamTask: String, Sendable, Codable, CaseIterable {
    case cvdECG = "cvd5-ecg", cvdPPG = "cvd3-ppg", hypertension, mortality, age, sex

    /// Title for tables.
    public var title: String {
        switch self {
        case .cvdECG: "CVD 5-class (ECG)"
        case .cvdPPG: "CVD 3-class (PPG)"
        case .hypertension: "hypertension"
        case .mortality: "mortality"
        case .age: "age (years)"
        case .sex: "sex"
        }
    }

    /// The metrics reported, first one headline.
    public var metrics: [MetricName] {
        switch self {
        case .cvdECG: [.macroAUROC, .macroF1]
        case .cvdPPG: [.macroAUROC]
        case .hypertension, .mortality: [.auroc, .auprc]
        case .age: [.mae, .pearson]
        case .sex: [.auroc]
        }
    }

    /// Class names (classifiers) or nil (regression).
    public var classes: [String]? {
        switch self {
        case .cvdECG: ECGClass.names
        case .cvdPPG: PPGClass.names
        case .hypertension, .mortality: ["no", "yes"]
        case .sex: ["female", "male"]
        case .age: nil
        }
    }

    /// The subject's label as a class index or a value; nil when unlabelled.
    public func label(_ l: SubjectLabels) -> Float? {
        switch self {
        case .cvdECG: l.ecgClass.map { Float($0.rawValue) }
        case .cvdPPG: l.ppgClass.map { Float($0.rawValue) }
        case .hypertension: l.hypertension.map { $0 ? 1 : 0 }
        case .mortality: l.mortality.map { $0 ? 1 : 0 }
        case .sex: l.sex.map { Float($0.rawValue) }
        case .age: l.age.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    /// The probe target for labels `y`.
    func target(_ y: [Float]) -> ProbeTarget {
        if let classes { return .classes(y.map { Int($0) }, names: classes) }
        return .values(y, unit: "years")
    }
}

/// A reported metric.
public enum MetricName: String, Sendable, Codable {
    case auroc = "AUROC", macroAUROC = "macro AUROC", auprc = "AUPRC", macroF1 = "macro F1", mae = "MAE", pearson = "Pearson r",
         top1 = "top-1"

    /// The metric over samples `idx` of labels `y` and probe outputs `out` (outputs per row `width`).
    package func compute(_ idx: [Int], y: [Float], out: [Float], width: Int) -> Double? {
        switch self {
        case .auroc, .auprc:
            let labels = idx.map { Int(y[$0]) }, scores = idx.map { out[$0 * width + 1] }
            return self == .auroc ? Metrics.auroc(labels: labels, scores: scores) : Metrics.averagePrecision(labels: labels, scores: scores)
        case .macroAUROC:
            return Metrics.macroAUROC(labels: idx.map { Int(y[$0]) }, probabilities: idx.flatMap { out[$0 * width ..< ($0 + 1) * width] }, classes: width)
        case .macroF1:
            let predictions = idx.map { i in (0..<width).max { out[i * width + $0] < out[i * width + $1] }! }
            return Metrics.macroF1(labels: idx.map { Int(y[$0]) }, predictions: predictions)
        case .mae: return Metrics.meanAbsoluteError(targets: idx.map { y[$0] }, predictions: idx.map { out[$0] })
        case .pearson: return Metrics.pearson(idx.map { y[$0] }, idx.map { out[$0] })
        case .top1: return idx.isEmpty ? nil : idx.reduce(0.0) { $0 + Double(y[$1]) } / Double(idx.count)
        }
    }
}
