import Query
import Support
import Store

// MARK: - State

/// The whole state of the workbench. `update` changes it, `render` draws it; both are pure.
public struct AppState: Sendable {
    /// The design size is 80 × 24; below `minimumSize` the screen asks to be enlarged.
    public static let minimumSize = (width: 60, height: 16)

    // MARK: Screen
    public var width: Int
    public var height: Int
    public var focus: Pane = .records
    /// The detail pane shown in the dashboard's lower-right slot.
    public var detail: Pane = .predictions
    public var zoomed = false
    public var showHelp = false
    public var helpScroll = 0
    public var useColor = true
    public var quit = false

    // MARK: Status
    public var storeName: String
    public var modelName: String?
    /// Background work in progress, shown in the status line.
    public var running: Set<Job> = []
    /// A one-line message (errors, export paths).
    public var message: String?
    /// A demo caption shown above the status line.
    public var caption: String?
    /// True while a key script or the tour plays; a key from the user stops it.
    public var demoPlaying = false

    // MARK: Records
    public var records: [RecordRow] = []
    /// Positions into `records` after filter and sort, in display order.
    public var visible: [Int] = []
    /// Position of the selection in `visible`.
    public var selected = 0
    /// The store index of the segment the user chose last. Filters and sorts keep it
    /// selected; while a filter hides it the nearest visible segment is selected, and it
    /// comes back when it is visible again.
    public var anchor: Int?
    /// Columns of the widest subject id (at least 4, at most 12), set when the records load.
    public var subjectWidth = 7
    public var sort: SortColumn = .subject
    public var descending = false
    /// A label of the store's label table the rows are sorted by instead of `sort` (`s` goes on
    /// to them after the last column on screen); nil when a column sorts.
    public var sortLabel: LabelColoring?
    public var filter: LabelFilter = .all
    public var search = ""
    /// Text being typed after `/`, nil when not searching.
    public var searchInput: String?
    /// Predicted risk per segment (store order), nil until computed or without a model.
    public var risk: [Float]?
    /// Per segment, true where its fingerprint lies outside the model's training data (the
    /// familiarity check's distance half); nil without a calibration.
    public var riskUnfamiliar: [Bool]?
    public var mode: FingerprintMode = .both

    // MARK: Traces
    public var trace: TraceData?
    /// Time zoom factor (1, 2, 4, 8) and the first shown sample when zoomed.
    public var timeZoom = 1
    public var timeStart = 0

    // MARK: Reconstruction
    public var reconMode: ReconstructionMode = .ppgToECG
    /// Fraction of patches hidden in the masked modes (0…0.9).
    public var maskRatio = 0.5
    /// The model's patches per segment (`WorkbenchServices.patchCount`).
    public var patchCount = AppState.defaultPatchCount {
        didSet { mask = AppState.mask(ratio: maskRatio, seed: current?.index ?? 0, patches: patchCount) }
    }
    /// `patchCount` flags, true where the target's patch is hidden.
    public var mask: [Bool] = AppState.mask(ratio: 0.5, seed: 0, patches: AppState.defaultPatchCount)
    public var patchCursor = 0
    public var reconstruction: Reconstruction?
    /// Why the last reconstruction request gave none (no checkpoint, a modality absent…).
    public var reconstructionNote: String?

    // MARK: Neighbours
    public var neighbours: [NeighbourRow] = []
    public var neighbourSelected = 0
    /// Whether the neighbours may be the selected segment's own subject (`a` flips it); off by
    /// default, as in `m2ae knn` (`StoreQuery.excludesSameSubjectByDefault`).
    public var includeSameSubject = !StoreQuery.excludesSameSubjectByDefault
    public var neighbourCount = 10
    /// The (segment, mode) the neighbours were found for.
    public var neighboursKey: SegmentFingerprintKey?

    // MARK: Projection
    public var projectionMethod: ProjectionMethod = .pca
    public var colorBy: ColorLabel = .rhythm
    /// The labels `c` cycles through: those some record knows, and always `subject`.
    public var colorLabels: [ColorLabel] = ColorLabel.builtIn
    /// The store's label table (colourings for the Projection pane).
    public var storeLabels: [Label] = []
    /// (segmentCount, 2) coordinates, nil until computed or without a model.
    public var projection: [Float]?
    /// The (method, mode) of `projection`, and its bounding box (minX, maxX, minY, maxY).
    public var projectionKey: ProjectionKey?
    public var projectionBounds: (minX: Float, maxX: Float, minY: Float, maxY: Float) = (0, 1, 0, 1)
    /// The memo of the drawn map (per session; see `ProjectionPane`).
    let mapMemo = MapMemo()
    /// The cursor in the map, as fractions of the plot area (0…1, y up).
    public var cursor: (x: Double, y: Double) = (0.5, 0.5)

    // MARK: Predictions
    public var predictions: [PredictionRow] = []
    /// The current segment's familiarity (with the predictions).
    public var predictionsFamiliarity: FamiliarityMark = .unknown
    /// The probe heads learned from generated labels only (said in the Predictions pane's title).
    public var probesGenerated = false
    /// The (segment, mode) the predictions are for.
    public var predictionsKey: SegmentFingerprintKey?
    /// The first line of the predictions shown (the pane scrolls when they do not fit).
    public var predictionsScroll = 0

    /// False on a fingerprint-only store: the Traces and Reconstruction panes say so.
    public var hasWaveforms = true
    /// What those panes show then.
    static let noWaveforms = "no waveforms: this store holds fingerprints only (m2ae export)"

    /// A fresh state for a terminal of `width` × `height` on store `storeName`.
    public init(width: Int, height: Int, storeName: String, modelName: String?) {
        self.width = width; self.height = height; self.storeName = storeName; self.modelName = modelName
    }

    // MARK: - Derived

    /// The record under the selection, nil when nothing is visible.
    public var current: RecordRow? {
        visible.indices.contains(selected) ? records[visible[selected]] : nil
    }

    /// True when the terminal is big enough to draw the workbench.
    public var fitsScreen: Bool { width >= Self.minimumSize.width && height >= Self.minimumSize.height }

    /// Patches per segment of the shipped configurations (`small`, `tiny`: 25 samples each).
    public static let defaultPatchCount = 50

    /// A reproducible mask hiding ⌊ratio·patches⌋ of `patches` patches (a shuffle seeded by
    /// the segment, so a segment always shows the same mask).
    public static func mask(ratio: Double, seed: Int, patches: Int = defaultPatchCount) -> [Bool] {
        let hidden = Int((ratio * Double(patches)).rounded(.down))
        var rng = SplitMix64(seed: UInt64(truncatingIfNeeded: seed))
        let order = Array(0..<patches).shuffled(using: &rng)
        var m = Array(repeating: false, count: patches)
        for i in order.prefix(hidden) { m[i] = true }
        return m
    }
}

/// Background work shown in the status line.
public enum Job: String, Sendable, Hashable, CaseIterable, Comparable {
    case records, trace, risk, reconstruction, neighbours, projection, predictions, export
    public static func < (a: Job, b: Job) -> Bool { a.rawValue < b.rawValue }
}

/// The Records pane's columns, in display order (`s` cycles through the visible ones).
public enum SortColumn: String, Sendable, CaseIterable, Hashable {
    case subject, start = "t", rhythm, age, sex, bp = "BP", quality, risk
}

/// What the Records pane shows.
public enum LabelFilter: Sendable, Hashable, CustomStringConvertible {
    case all
    case rhythm(ECGClass)
    case hypertension
    case flagged
    case clean
    /// Segments whose value of a store label (binary or categorical) is the class `code`.
    case label(LabelColoring, code: Int)

    /// Every filter in the order `f` cycles through them.
    public static let cycle: [LabelFilter] = [.all] + ECGClass.allCases.map { .rhythm($0) } + [.hypertension, .flagged, .clean]

    /// `cycle` followed by every class of the store's binary and categorical labels.
    public static func cycle(storeLabels: [Label]) -> [LabelFilter] {
        cycle + storeLabels.filter { $0.kind != .numeric }.flatMap { l in
            let coloring = LabelColoring(l)
            return l.classes.indices.map { LabelFilter.label(coloring, code: $0) }
        }
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .rhythm(let c): return ECGClass.names[Int(c.rawValue)]
        case .hypertension: return "hypertensive"
        case .flagged: return "quality-flagged"
        case .clean: return "clean"
        case .label(let l, let code): return "\(l.label.name)=\(l.label.classes[code])"
        }
    }

    /// True when `row` passes the filter.
    public func matches(_ row: RecordRow) -> Bool {
        switch self {
        case .all: return true
        case .rhythm(let c): return row.labels.ecgClass == c
        case .hypertension: return row.labels.hypertension == true
        case .flagged: return !row.isClean
        case .clean: return row.isClean
        case .label(let l, let code): return l.value(row) == Double(code)
        }
    }
}

/// The label that colours the Projection's points.
public enum ColorLabel: Sendable, Hashable {
    case rhythm, hypertension, sex, age, subject
    /// A label of the store's label table (`m2ae label`, import manifests).
    case label(LabelColoring)

    /// The built-in labels, in the order `c` cycles through them.
    public static let builtIn: [ColorLabel] = [.rhythm, .hypertension, .sex, .age, .subject]

    /// The name in the pane's title.
    public var title: String {
        switch self {
        case .rhythm: "rhythm"
        case .hypertension: "hypertension"
        case .sex: "sex"
        case .age: "age"
        case .subject: "subject"
        case .label(let l): l.label.name
        }
    }
}

/// Which segment's fingerprint of which mode a per-segment result was computed from (the
/// neighbours and the predictions both carry one, so a late answer for another selection is
/// never shown).
public struct SegmentFingerprintKey: Sendable, Hashable {
    public var index: Int
    public var mode: FingerprintMode
    public init(index: Int, mode: FingerprintMode) { self.index = index; self.mode = mode }
}

/// Which method and fingerprint mode a projection belongs to.
public struct ProjectionKey: Sendable, Hashable {
    public var method: ProjectionMethod
    public var mode: FingerprintMode
    public init(method: ProjectionMethod, mode: FingerprintMode) { self.method = method; self.mode = mode }
}
