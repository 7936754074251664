import Foundation

extension StoreEdit {
    /// Adds one label to the general label table (`/labels/<name>`), or replaces the label of
    /// that name when `replace` is true. The label is checked exactly as `StoreWriter.writeLabels`
    /// checks it (its name, one value per subject or segment, codes within its classes, finite
    /// numbers), so an edit cannot leave a table that fails to open.
    ///
    /// - Throws: `StoreError` when a label of that name exists and `replace` is false, or when
    ///   the label fails a check; the store is then left as it was (the edit runs on a copy).
    public func setLabel(_ label: Label, replace: Bool) throws {
        try reporting { f in
            let path = StoreLayout.label(label.name)
            if let problem = Label.problem(withName: label.name) { throw StoreError(f.url, problem) }
            if f.kind(path) != nil {
                guard replace else {
                    throw StoreError(f.url, "a label named '\(label.name)' already exists; pass --replace to replace it")
                }
                try f.unlink(path)
            }
            let subjects = try H5Dataset.open(f, StoreLayout.Subjects.id).shape()[0]
            try LabelTable.write([label], to: f, subjects: subjects, segments: segmentCount)
        }
    }
}
