import CHDF5
import Foundation

/// What `m2ae info` reports about a store: counts, label coverage and class counts, the
/// quality-flag summary, heart rate beside pulse rate, and the models embedded. Computed by
/// reading the store in slices (metadata columns, then the signals of the clean segments);
/// encodes to the `m2ae info --json` schema (docs/json.md).
public struct StoreSummary: Sendable, Equatable, Codable {
    /// The store's path.
    public var path: String
    /// Always "m2ae-store" and this build's schema version (a store that opens has them).
    public var format: String
    public var schemaVersion: Int
    public var segments: Int
    public var subjects: Int
    /// Root provenance attributes.
    public var attributes: [String: String]
    /// One entry per label field, in `LabelSummary.fields` order.
    public var labels: [LabelSummary]
    /// One entry per label of the general label table (`/labels`), in name order.
    public var labelTable: [TableLabelSummary]
    /// Per modality ("ecg", "ppg").
    public var quality: [String: QualitySummary]
    /// Heart rate from the ECG beside pulse rate from the PPG, over the clean segments.
    public var rates: RateSummary
    /// Every group under /models, in name order (anything else there is ignored).
    public var models: [ModelSummary]

    enum CodingKeys: String, CodingKey {
        case path, format, schemaVersion = "schema_version", segments, subjects, attributes, labels, labelTable, quality, rates, models
    }

    /// Coverage of one label field.
    public struct LabelSummary: Sendable, Equatable, Codable {
        /// The field's column name: age, sex, sbp, dbp, hypertension, ecg_class, ppg_class, mortality.
        public var field: String
        /// Subjects with a value.
        public var subjects: Int
        /// Segments whose subject has a value.
        public var segments: Int
        /// Subjects per class for categorical fields, in class order; empty for numeric ones.
        public var classes: [ClassCount]
    }

    /// Subjects with one class value.
    public struct ClassCount: Sendable, Equatable, Codable {
        public var name: String
        public var subjects: Int
    }

    /// Coverage of one label of the general label table.
    public struct TableLabelSummary: Sendable, Equatable, Codable {
        public var name: String
        /// "binary", "categorical" or "numeric".
        public var kind: String
        /// "subject" or "record".
        public var scope: String
        /// Subjects with a value (record scope: with at least one segment that has one).
        public var subjects: Int
        /// Segments with a value (their own, or their subject's).
        public var segments: Int
        /// Per class, in code order (zeros included); empty for numeric labels.
        public var classes: [TableClassCount]
        /// Smallest and largest value of a numeric label with a value; omitted otherwise.
        public var min: Double?
        public var max: Double?
    }

    /// Subjects and segments with one class of a table label.
    public struct TableClassCount: Sendable, Equatable, Codable {
        public var name: String
        /// Subjects with the class (record scope: on at least one of their segments).
        public var subjects: Int
        public var segments: Int
    }

    /// Quality flags of one modality over all segments.
    public struct QualitySummary: Sendable, Equatable, Codable {
        /// Segments with no flag set.
        public var clean: Int
        /// Segments with each flag set (every flag listed, in bit order, zeros included).
        public var flags: [FlagCount]
    }

    /// Segments with one quality flag set.
    public struct FlagCount: Sendable, Equatable, Codable {
        public var name: String
        public var segments: Int
    }

    /// One model group under /models.
    public struct ModelSummary: Sendable, Equatable, Codable {
        public var id: String
        /// Fingerprint width, or nil (JSON null) when the model has no fingerprints.
        public var dim: Int?
        /// Fingerprint modes present ("ecg+ppg", "ecg", "ppg").
        public var fingerprints: [String]
        /// Projections present ("pca", "umap", …).
        public var projections: [String]
        /// Every dataset of the model, relative to its group, with its shape.
        public var matrices: [Matrix]
        /// The model group's attributes (config JSON, checkpoint hash, …).
        public var attributes: [String: String]

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(dim, forKey: .dim)
            try c.encode(fingerprints, forKey: .fingerprints)
            try c.encode(projections, forKey: .projections)
            try c.encode(matrices, forKey: .matrices)
            try c.encode(attributes, forKey: .attributes)
        }
    }

    /// A dataset path and shape.
    public struct Matrix: Sendable, Equatable, Codable {
        public var path: String
        public var shape: [Int]
    }
}

// MARK: - Computing

extension StoreSummary {
    /// The label fields in report order.
    public static let labelFields = ["age", "sex", "sbp", "dbp", "hypertension", "ecg_class", "ppg_class", "mortality"]

    /// Summarises `store`, reading its metadata columns `sliceRows` rows at a time and its
    /// signals `signalRows` segments at a time.
    public init(_ store: RecordStore, sliceRows: Int = 65_536, signalRows: Int = 512) throws {
        path = store.url.path
        format = StoreLayout.format
        schemaVersion = Int(StoreLayout.schemaVersion)
        segments = store.segmentCount
        subjects = store.subjects.count
        attributes = store.attributes

        // Segments per subject, then quality counts, both in slices.
        var perSubject = [Int](repeating: 0, count: store.subjects.count)
        var clean: [Modality: Int] = [.ecg: 0, .ppg: 0]
        var flagCounts: [Modality: [Int]] = [.ecg: [0, 0, 0, 0, 0, 0, 0, 0], .ppg: [0, 0, 0, 0, 0, 0, 0, 0]]
        var start = 0
        while start < store.segmentCount {
            let range = start..<min(start + max(1, sliceRows), store.segmentCount)
            for s in try store.subjectIndices(range) where s >= 0 && Int(s) < perSubject.count { perSubject[Int(s)] += 1 }
            for m in Modality.allCases {
                for q in try store.quality(m, range) {
                    if q.isEmpty { clean[m]! += 1 }
                    for bit in 0..<8 where q.rawValue & (1 << bit) != 0 { flagCounts[m]![bit] += 1 }
                }
            }
            start = range.upperBound
        }
        quality = Dictionary(uniqueKeysWithValues: Modality.allCases.map { m in
            (m.rawValue, QualitySummary(clean: clean[m]!, flags: QualityFlags.named.map { flag, name in
                FlagCount(name: name, segments: flagCounts[m]![flag.rawValue.trailingZeroBitCount])
            }))
        })
        labels = Self.labelSummaries(store.subjects, segmentsPerSubject: perSubject)
        labelTable = try Self.tableLabelSummaries(store, segmentsPerSubject: perSubject, sliceRows: max(1, sliceRows))
        rates = try Self.rateSummary(store, sliceRows: signalRows)
        models = try store.children(StoreLayout.models)
            .filter { store.file.kind(StoreLayout.model($0)) == H5I_GROUP }
            .map { try Self.modelSummary(store, id: $0) }
    }

    /// Coverage and class counts of every label field.
    private static func labelSummaries(_ subjects: [Subject], segmentsPerSubject: [Int]) -> [LabelSummary] {
        func summary(_ field: String, _ value: (SubjectLabels) -> Int?, classes names: [String]) -> LabelSummary {
            var withValue = 0, segs = 0
            var counts = [Int](repeating: 0, count: names.count)
            for (i, s) in subjects.enumerated() {
                guard let v = value(s.labels) else { continue }
                withValue += 1
                segs += segmentsPerSubject[i]
                if v >= 0 && v < counts.count { counts[v] += 1 }
            }
            return LabelSummary(field: field, subjects: withValue, segments: segs,
                                classes: zip(names, counts).map { ClassCount(name: $0, subjects: $1) })
        }
        func present<T>(_ v: T?) -> Int? { v == nil ? nil : 0 }
        func flag(_ b: Bool?) -> Int? { b.map { $0 ? 1 : 0 } }
        return [
            summary("age", { present($0.age) }, classes: []),
            summary("sex", { $0.sex.map { Int($0.rawValue) } }, classes: ["female", "male"]),
            summary("sbp", { present($0.systolic) }, classes: []),
            summary("dbp", { present($0.diastolic) }, classes: []),
            summary("hypertension", { flag($0.hypertension) }, classes: ["no", "yes"]),
            summary("ecg_class", { $0.ecgClass.map { Int($0.rawValue) } }, classes: ECGClass.names),
            summary("ppg_class", { $0.ppgClass.map { Int($0.rawValue) } }, classes: PPGClass.names),
            summary("mortality", { flag($0.mortality) }, classes: ["no", "yes"]),
        ]
    }

    /// Coverage, class counts and ranges of every label of the general label table; the
    /// subject column is read again in slices for record-scope labels.
    private static func tableLabelSummaries(_ store: RecordStore, segmentsPerSubject: [Int], sliceRows: Int) throws -> [TableLabelSummary] {
        var subjectOf: [Int32] = []
        if store.labels.contains(where: { $0.scope == .record }) {
            subjectOf.reserveCapacity(store.segmentCount)
            var start = 0
            while start < store.segmentCount {
                let range = start..<min(start + sliceRows, store.segmentCount)
                subjectOf += try store.subjectIndices(range)
                start = range.upperBound
            }
        }
        return store.labels.map { label in
            let classCount = label.kind == .numeric ? 0 : label.classes.count
            var segments = 0
            var classSegments = [Int](repeating: 0, count: classCount)
            var subjectsWith: Set<Int> = []
            var classSubjects = [Set<Int>](repeating: [], count: classCount)
            var lo = Double.infinity, hi = -Double.infinity
            func count(_ v: Double?, subject: Int, weight: Int) {
                guard let v else { return }
                segments += weight
                subjectsWith.insert(subject)
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                if classCount > 0, v >= 0, Int(v) < classCount {
                    classSegments[Int(v)] += weight
                    classSubjects[Int(v)].insert(subject)
                }
            }
            if label.scope == .subject {
                for (i, v) in label.values.enumerated() { count(v, subject: i, weight: segmentsPerSubject[i]) }
            } else {
                for (i, v) in label.values.enumerated() { count(v, subject: Int(subjectOf[i]), weight: 1) }
            }
            let numericRange = label.kind == .numeric && lo <= hi
            return TableLabelSummary(name: label.name, kind: label.kind.rawValue, scope: label.scope.rawValue,
                                     subjects: subjectsWith.count, segments: segments,
                                     classes: (0..<classCount).map {
                                         TableClassCount(name: label.classes[$0], subjects: classSubjects[$0].count, segments: classSegments[$0])
                                     },
                                     min: numericRange ? lo : nil, max: numericRange ? hi : nil)
        }
    }

    /// The summary of the model group `id`.
    private static func modelSummary(_ store: RecordStore, id: String) throws -> ModelSummary {
        let root = StoreLayout.model(id)
        let matrices = try store.datasets(under: root).map { path in
            Matrix(path: String(path.dropFirst(root.count + 1)), shape: try H5Dataset.open(store.file, path).shape())
        }
        let modes = FingerprintMode.allCases.map(\.rawValue).filter { mode in
            matrices.contains { $0.path == "fingerprints/\(mode)" }
        }
        let dim = modes.first.flatMap { mode in matrices.first { $0.path == "fingerprints/\(mode)" }?.shape.last }
        return ModelSummary(id: id, dim: dim, fingerprints: modes,
                            projections: try store.children(StoreLayout.projections(model: id)),
                            matrices: matrices, attributes: try store.modelAttributes(id))
    }
}
