import Analytics
import Store

extension EvaluationRunner {
    /// The built-in tasks and the label tasks `tasks` names (every one when nil).
    /// - Throws: `AnalyticsError` for a name that is neither a built-in task nor a label of
    ///   the training store, or a named task a probe cannot be fitted on.
    func chooseTasks(_ store: RecordStore) throws -> (builtIn: [DownstreamTask], labels: [LabelTask]) {
        guard let tasks else { return (DownstreamTask.allCases, store.labels.map(LabelTask.init)) }
        var builtIn: [DownstreamTask] = [], labels: [LabelTask] = []
        for name in tasks {
            if let label = store.labels.first(where: { $0.name == name }) {
                labels.append(LabelTask(label))
            } else if let task = DownstreamTask(rawValue: name) {
                builtIn.append(task)
            } else {
                let known = DownstreamTask.allCases.map(\.rawValue) + store.labels.map(\.name)
                throw AnalyticsError("\(store.url.path): no task '\(name)' (tasks: \(known.joined(separator: ", ")); add labels with `m2ae label`)")
            }
        }
        return (builtIn, labels)
    }

    /// Each label task's values on the train and the test rows. A test store must hold a
    /// label of the same name and kind.
    /// - Throws: `AnalyticsError` when it does not, or when a task named by `tasks` cannot be
    ///   probed (no values on a side, one class among the training segments).
    func labelValues(_ tasks: [LabelTask], trainStore: RecordStore, testStore: RecordStore, trainRows: [Int], testRows: [Int],
                     trainSubjects: [Int32], testSubjects: [Int32]) throws -> (train: [[Float?]], test: [[Float?]]) {
        var train: [[Float?]] = [], test: [[Float?]] = []
        for task in tasks {
            let a = trainStore.labels.first { $0.name == task.name }!
            guard let b = testStore.labels.first(where: { $0.name == task.name }), b.kind == task.kind else {
                throw AnalyticsError("\(testStore.url.path): no \(task.kind.rawValue) label '\(task.name)' like the training store's; add it with `m2ae label`")
            }
            let ytr = task.values(a, rows: trainRows) { Int(trainSubjects[$0]) }
            let yte = task.values(b, rows: testRows) { Int(testSubjects[$0]) }
            if self.tasks != nil, let reason = Evaluation.skipReason(task, ytr, yte) {
                throw AnalyticsError("\(trainStore.url.path): task '\(task.name)' cannot be probed: \(reason)")
            }
            train.append(ytr); test.append(yte)
        }
        return (train, test)
    }
}
