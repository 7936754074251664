import Foundation
import Store

/// The loss history of a run: one row per training step and one per validation, written as
/// CSV (atomically) after every epoch and drawn in the terminal at the end.
///
/// CSV columns: `kind,epoch,step,loss,recon,recon_ecg,recon_ppg,contrastive,retrieval_top1,lr,grad_norm`
/// (`kind` is `train` or `val`; `step` counts optimiser steps; val rows have empty lr/grad_norm
/// and `retrieval_top1` among all validation segments).
public struct LossCurve: Sendable {
    public struct Row: Sendable, Equatable {
        public var kind: String
        public var epoch: Int
        public var step: Int
        public var parts: LossParts
        public var lr: Double?
        public var gradNorm: Double?
    }

    public static let header = "kind,epoch,step,loss,recon,recon_ecg,recon_ppg,contrastive,retrieval_top1,lr,grad_norm"
    public private(set) var rows: [Row] = []

    public init() {}

    /// Rows of an existing CSV up to `step` (a resumed run continues its curve).
    public init(csv url: URL, upTo step: Int) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 11, let e = Int(f[1]), let s = Int(f[2]), s <= step else { continue }
            var p = LossParts()
            p.loss = Double(f[3]) ?? .nan; p.recon = Double(f[4]) ?? .nan; p.reconECG = Double(f[5]) ?? .nan
            p.reconPPG = Double(f[6]) ?? .nan; p.contrastive = Double(f[7]) ?? .nan; p.retrievalTop1 = Double(f[8]) ?? .nan
            rows.append(Row(kind: f[0], epoch: e, step: s, parts: p, lr: Double(f[9]), gradNorm: Double(f[10])))
        }
    }

    public mutating func append(_ row: Row) { rows.append(row) }

    /// The CSV text.
    public var csv: String {
        var out = Self.header + "\n"
        for r in rows {
            let p = r.parts
            let values = [p.loss, p.recon, p.reconECG, p.reconPPG, p.contrastive, p.retrievalTop1].map { String(format: "%.6g", $0) }
            out += "\(r.kind),\(r.epoch),\(r.step)," + values.joined(separator: ",")
            out += "," + (r.lr.map { String(format: "%.6g", $0) } ?? "") + "," + (r.gradNorm.map { String(format: "%.6g", $0) } ?? "") + "\n"
        }
        return out
    }

    /// Writes the CSV atomically.
    public func write(to url: URL) throws { try AtomicReplace.write(Data(csv.utf8), to: url) }

    /// A text plot of the training loss (smoothed per column) with validation losses marked,
    /// `width` × `height` characters plus axes.
    public func plot(width: Int = 60, height: Int = 12) -> String {
        let train = rows.filter { $0.kind == "train" && $0.parts.loss.isFinite }
        let val = rows.filter { $0.kind == "val" && $0.parts.loss.isFinite }
        guard let last = train.last else { return "(no training steps)" }
        let maxStep = max(last.step, 1)
        var cols = [[Double]](repeating: [], count: width)
        for r in train { cols[min(width - 1, r.step * width / (maxStep + 1))].append(r.parts.loss) }
        let means = cols.map { $0.isEmpty ? Double.nan : $0.reduce(0, +) / Double($0.count) }
        let all = means.filter(\.isFinite) + val.map(\.parts.loss)
        let lo = all.min()!, hi = max(all.max()!, lo + 1e-9)
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
        func rowOf(_ v: Double) -> Int { height - 1 - min(height - 1, Int((v - lo) / (hi - lo) * Double(height - 1) + 0.5)) }
        for (x, v) in means.enumerated() where v.isFinite { grid[rowOf(v)][x] = "•" }
        for r in val { grid[rowOf(r.parts.loss)][min(width - 1, r.step * width / (maxStep + 1))] = "◆" }
        var out = ""
        for (y, line) in grid.enumerated() {
            let label = y == 0 ? String(format: "%8.4f", hi) : y == height - 1 ? String(format: "%8.4f", lo) : String(repeating: " ", count: 8)
            out += label + " ┤" + String(line) + "\n"
        }
        out += String(repeating: " ", count: 9) + "└" + String(repeating: "─", count: width) + "\n"
        out += String(repeating: " ", count: 10) + "step 0" + String(repeating: " ", count: max(1, width - 12 - "\(maxStep)".count)) + "step \(maxStep)\n"
        out += String(repeating: " ", count: 10) + "• training loss (mean per column)   ◆ validation loss\n"
        return out
    }
}
