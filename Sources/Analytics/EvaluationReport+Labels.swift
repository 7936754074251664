extension EvaluationReport {
    /// The label tasks' rows in table order: each label (in the order evaluated) and metric,
    /// with one row per representation (nil where that representation has no row).
    var labelTableRows: [(label: String, metric: MetricName, cells: [EvaluationRow?])] {
        var order: [String] = [], metrics: [String: [MetricName]] = [:]
        for r in rows {
            guard let label = r.label else { continue }
            if metrics[label] == nil { order.append(label) }
            if !(metrics[label]?.contains(r.metric) ?? false) { metrics[label, default: []].append(r.metric) }
        }
        return order.flatMap { label in
            metrics[label]!.map { metric in
                (label, metric, representations.map { rep in rows.first { $0.label == label && $0.metric == metric && $0.representation == rep } })
            }
        }
    }

    /// A row's task title: the built-in task's, or the label's name.
    static func title(_ row: EvaluationRow) -> String { row.task?.title ?? row.label ?? "" }
}
