import CHDF5
import Foundation

/// Reads and writes the subject table (`/subjects/*`, each [S]). Missing labels are stored
/// explicitly: NaN for age and blood pressures, -1 for sex, hypertension, classes, mortality.
enum SubjectTable {
    private typealias L = StoreLayout.Subjects

    // MARK: - Reading

    /// Reads the whole table (it is small: one row per subject) and validates its codes.
    static func read(_ file: H5File) throws -> [Subject] {
        let idSet = try H5Dataset.open(file, L.id)
        let shape = try idSet.shape()
        guard shape.count == 1 else { throw StoreError(file.url, "\(L.id) has shape \(shape), expected [S]") }
        let n = shape[0]
        guard try idSet.typeClass() == H5T_STRING else { throw StoreError(file.url, "\(L.id) holds numbers, expected strings") }
        // Every column's shape and stored rows are checked before any is read, so a table that
        // claims millions of rows it does not hold is refused without allocating for them.
        var columns: [String: H5Dataset] = [:]
        for p in [L.age, L.systolic, L.diastolic, L.sex, L.hypertension, L.ecgClass, L.ppgClass, L.mortality] {
            let d = try H5Dataset.open(file, p)
            guard try d.shape() == [n] else { throw StoreError(file.url, "\(p) has shape \(try d.shape()), expected [\(n)] (one row per subject)") }
            columns[p] = d
        }
        for d in [idSet] + columns.values.sorted(by: { $0.path < $1.path }) { try StoreValidation.checkStored(d, url: file.url) }
        func floats(_ p: String) throws -> [Float] { try columns[p]!.read(0..<n, as: H5Type.float32) }
        func codes(_ p: String) throws -> [Int8] { try columns[p]!.read(0..<n, as: H5Type.int8) }
        let ids = try idSet.readStrings(0..<n)
        let age = try floats(L.age), sbp = try floats(L.systolic), dbp = try floats(L.diastolic)
        let sex = try codes(L.sex), htn = try codes(L.hypertension), ecg = try codes(L.ecgClass)
        let ppg = try codes(L.ppgClass), mort = try codes(L.mortality)

        func decode<T>(_ code: Int8, _ column: String, _ row: Int, _ make: (Int8) -> T?) throws -> T? {
            if code == -1 { return nil }
            guard let v = make(code) else { throw StoreError(file.url, "\(column)[\(row)] holds invalid code \(code)") }
            return v
        }
        func bool(_ c: Int8) -> Bool? { c == 0 ? false : c == 1 ? true : nil }
        func opt(_ f: Float) -> Float? { f.isNaN ? nil : f }
        return try (0..<n).map { i in
            Subject(id: ids[i], labels: SubjectLabels(
                age: opt(age[i]), sex: try decode(sex[i], L.sex, i, Sex.init(rawValue:)),
                systolic: opt(sbp[i]), diastolic: opt(dbp[i]),
                hypertension: try decode(htn[i], L.hypertension, i, bool),
                ecgClass: try decode(ecg[i], L.ecgClass, i, ECGClass.init(rawValue:)),
                ppgClass: try decode(ppg[i], L.ppgClass, i, PPGClass.init(rawValue:)),
                mortality: try decode(mort[i], L.mortality, i, bool)))
        }
    }

    // MARK: - Writing

    /// Writes the whole table into a new file.
    static func write(_ subjects: [Subject], to file: H5File) throws {
        let n = subjects.count
        let chunk = max(1, min(n, StoreLayout.columnChunkRows))
        let z = H5Dataset.Compression.shuffleDeflate(level: StoreLayout.deflateLevel)
        try H5Dataset.createStrings(file, L.id, rows: n, chunkRows: chunk).writeStrings(subjects.map(\.id), at: 0)
        func floats(_ p: String, _ v: (SubjectLabels) -> Float?) throws {
            try H5Dataset.create(file, p, type: H5Type.float32, dims: [n], chunkRows: chunk, compression: z, fill: Float.nan)
                .write(subjects.map { v($0.labels) ?? .nan }, at: 0, rows: n, as: H5Type.float32)
        }
        func codes(_ p: String, _ v: (SubjectLabels) -> Int8?) throws {
            try H5Dataset.create(file, p, type: H5Type.int8, dims: [n], chunkRows: chunk, compression: z, fill: Int8(-1))
                .write(subjects.map { v($0.labels) ?? -1 }, at: 0, rows: n, as: H5Type.int8)
        }
        func code(_ b: Bool?) -> Int8? { b.map { $0 ? 1 : 0 } }
        try floats(L.age) { $0.age }
        try floats(L.systolic) { $0.systolic }
        try floats(L.diastolic) { $0.diastolic }
        try codes(L.sex) { $0.sex?.rawValue }
        try codes(L.hypertension) { code($0.hypertension) }
        try codes(L.ecgClass) { $0.ecgClass?.rawValue }
        try codes(L.ppgClass) { $0.ppgClass?.rawValue }
        try codes(L.mortality) { code($0.mortality) }
    }
}
