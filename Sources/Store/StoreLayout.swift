/// The names and constants of the store's HDF5 layout (docs/store.md describes it in full).
///
/// Schema version rule: `schemaVersion` changes whenever a reader of the previous version
/// would misread a file of the new one (a dataset renamed, retyped or re-encoded). Adding an
/// optional dataset, group or attribute that older readers can ignore does not change it.
/// Readers accept exactly their own version and name the regenerating command otherwise.
public enum StoreLayout {
    /// The root attribute `format`'s value: the store's magic.
    public static let format = "m2ae-store"
    /// The root attribute `schema_version`'s value written and accepted by this build.
    public static let schemaVersion: Int32 = 1
    /// Root attributes reserved by the layout (never part of `RecordStore.attributes`).
    public static let reservedAttributes: Set<String> = ["format", "schema_version"]

    /// The signal dataset of one modality: float32 [N, 1250].
    public static func signals(_ m: Modality) -> String { "/signals/\(m.rawValue)" }

    /// Per-segment columns, each [N].
    enum Segments {
        static let subject = "/segments/subject"          // int32, index into /subjects
        static let record = "/segments/record"            // UTF-8 string
        static let start = "/segments/start"              // float64, seconds
        static let ecgRate = "/segments/ecg_rate"         // float64, Hz (0 = absent)
        static let ppgRate = "/segments/ppg_rate"         // float64, Hz (0 = absent)
        static func quality(_ m: Modality) -> String { "/segments/\(m.rawValue)_quality" }   // uint8 QualityFlags
        static let ppgDelay = "/segments/ppg_delay"      // float64, seconds, NaN = not measured; optional
    }

    /// Per-subject columns, each [S]; missing values: NaN for floats, -1 for codes.
    enum Subjects {
        static let id = "/subjects/id"                    // UTF-8 string
        static let age = "/subjects/age"                  // float32, years
        static let sex = "/subjects/sex"                  // int8, Sex or -1
        static let systolic = "/subjects/sbp"             // float32, mmHg
        static let diastolic = "/subjects/dbp"            // float32, mmHg
        static let hypertension = "/subjects/hypertension" // int8, 0/1 or -1
        static let ecgClass = "/subjects/ecg_class"       // int8, ECGClass or -1
        static let ppgClass = "/subjects/ppg_class"       // int8, PPGClass or -1
        static let mortality = "/subjects/mortality"      // int8, 0/1 or -1
    }

    /// The root attribute that marks a fingerprint-only export, and its value: such a store has
    /// no `/signals` (docs/store.md, "Fingerprints without waveforms").
    public static let waveformsAttribute = "waveforms"
    public static let noWaveforms = "none"

    /// The general label table: one dataset per label (docs/store.md, "Labels").
    public static let labels = "/labels"
    /// The dataset of one label: float64 (numeric) or int32 codes, [S] or [N] by its scope.
    public static func label(_ name: String) -> String { "/labels/\(name)" }

    /// The group holding all models' outputs.
    public static let models = "/models"
    /// The group of one model: attributes (config JSON, checkpoint hash) and its matrices.
    public static func model(_ id: String) -> String { "/models/\(id)" }
    /// The fingerprints of one model and mode: float32 [N, dim].
    public static func fingerprints(model: String, mode: FingerprintMode) -> String {
        "/models/\(model)/fingerprints/\(mode.rawValue)"
    }
    /// The 2-D projections group of one model (`pca`, `umap`: float32 [N, 2]).
    public static func projections(model: String) -> String { "/models/\(model)/projections" }

    /// Rows per chunk of the signal datasets (16 × 1,250 float32 = 80 KB before deflate):
    /// small enough that a random one-segment read inflates little (docs/store.md).
    public static let signalChunkRows = 16
    /// Rows per chunk of the 1-D columns.
    public static let columnChunkRows = 4096
    /// Deflate level of signals and columns (after a byte shuffle; docs/store.md has the trade-off).
    public static let deflateLevel: UInt32 = 1
}
