import Foundation

extension Label {
    /// Why a column of text cells cannot be a label: the problem and the 0-based row it is on
    /// (nil when it is about the whole column), so the caller can name its file and line.
    public struct InferenceError: Error, CustomStringConvertible, Equatable {
        public var problem: String
        public var row: Int?
        public var description: String { problem }
    }

    /// Cells read as a missing value (lower-cased, after trimming blanks).
    public static let missingCells: Set<String> = ["", "na", "nan", "n/a", "null", "none", "?"]

    /// The kind and values of a label from text cells, one per row.
    ///
    /// Missing cells (`missingCells`) are nil. When every other cell is a finite number the
    /// label is numeric, or binary with classes `0`, `1` when those are its only values.
    /// Otherwise every present cell is a class name: two names make a binary label, one or
    /// three to `maxClasses` a categorical one, classes in sorted order.
    ///
    /// - Returns: the kind, the class names and one value per cell (number or class code).
    /// - Throws: `InferenceError` for a column that mixes numbers and words, has an infinite
    ///   number, has no value at all or has more than `maxClasses` classes.
    public static func infer(_ cells: [String]) throws -> (kind: Kind, classes: [String], values: [Double?]) {
        let texts = cells.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = texts.map { missingCells.contains($0.lowercased()) }
        let present = texts.indices.filter { !missing[$0] }
        guard !present.isEmpty else { throw InferenceError(problem: "has no value in any row", row: nil) }
        let numbers = texts.map { t -> Double? in
            guard !t.contains(where: { $0 == "x" || $0 == "X" || $0 == "_" }) else { return nil }
            return Double(t)
        }
        let numeric = present.filter { numbers[$0] != nil }
        if let bad = numeric.first(where: { !numbers[$0]!.isFinite }) {
            throw InferenceError(problem: "'\(texts[bad])' is not a finite number", row: bad)
        }
        if !numeric.isEmpty && numeric.count < present.count {
            let word = present.first { numbers[$0] == nil }!, number = numeric[0]
            throw InferenceError(problem: "mixes numbers ('\(texts[number])') and words ('\(texts[word])')",
                                 row: max(word, number))
        }
        if numeric.count == present.count {
            let values = texts.indices.map { missing[$0] ? nil : numbers[$0] }
            let isBinary = present.allSatisfy { numbers[$0] == 0 || numbers[$0] == 1 }
            return (isBinary ? .binary : .numeric, isBinary ? ["0", "1"] : [], values)
        }
        let classes = Set(present.map { texts[$0] }).sorted()
        guard classes.count <= maxClasses else {
            throw InferenceError(problem: "has \(classes.count) different words; a categorical label has at most \(maxClasses) classes", row: nil)
        }
        let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Double($0)) })
        let values = texts.indices.map { missing[$0] ? nil : code[texts[$0]] }
        return (classes.count == 2 ? .binary : .categorical, classes, values)
    }
}

extension Label {
    /// The values of a label from text cells when its kind is given rather than inferred
    /// (`m2ae label --kind NAME=KIND`); `kind` nil infers it (`infer(_:)`).
    ///
    /// A numeric label needs every present cell to be a finite number. A binary or
    /// categorical label takes every distinct present cell as a class name (numbers too, so
    /// codes like `1`, `2`, `3` make a three-class label), in numeric order when all are
    /// numbers and in text order otherwise; binary needs exactly two classes.
    ///
    /// - Throws: `InferenceError` for a cell that does not fit the kind, or a class count
    ///   outside the kind's range.
    public static func infer(_ cells: [String], as kind: Kind?) throws -> (kind: Kind, classes: [String], values: [Double?]) {
        guard let kind else { return try infer(cells) }
        let texts = cells.map { $0.trimmingCharacters(in: .whitespaces) }
        let present = texts.indices.filter { !missingCells.contains(texts[$0].lowercased()) }
        guard !present.isEmpty else { throw InferenceError(problem: "has no value in any row", row: nil) }
        if kind == .numeric {
            var values = [Double?](repeating: nil, count: texts.count)
            for i in present {
                guard let v = Double(texts[i]), v.isFinite else {
                    throw InferenceError(problem: "'\(texts[i].prefix(40))' is not a finite number (the label was given as numeric)", row: i)
                }
                values[i] = v
            }
            return (.numeric, [], values)
        }
        let distinct = Set(present.map { texts[$0] })
        let numbers = distinct.compactMap { t in Double(t).map { (t, $0) } }
        let classes = numbers.count == distinct.count ? numbers.sorted { $0.1 < $1.1 }.map(\.0) : distinct.sorted()
        if kind == .binary, classes.count != 2 {
            throw InferenceError(problem: "has \(classes.count) different values (\(classes.prefix(5).joined(separator: ", "))); a binary label has exactly 2", row: nil)
        }
        guard classes.count <= maxClasses else {
            throw InferenceError(problem: "has \(classes.count) different values; a categorical label has at most \(maxClasses) classes", row: nil)
        }
        let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Double($0)) })
        return (kind, classes, texts.map { code[$0] })
    }
}
