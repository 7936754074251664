import Foundation
import Testing

/// `m2ae calibrate` with several stores: every store must hold the model's fingerprints, and a
/// store too small to calibrate is named in one line (the tiny cohort has 12 subjects, so its
/// held-out share is under the 20 segments a calibration needs).
struct CalibrateTests {
    @Test func severalStoresNeedEachOnesFingerprintsAndEnoughPeople() throws {
        let c = try CLICohort.get()
        let missing = try m2ae(["calibrate", c.store.path, c.bare.path, "--model", c.model.path])
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("\(c.bare.path): no fingerprints of model '\(c.modelID)'"), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        let small = try m2ae(["calibrate", c.store.path, c.store.path, "--model", c.model.path])
        #expect(small.status != 0 && small.stderr.contains("at least 20 needed to calibrate"), "\(small)")
        #expect(small.stderr.split(separator: "\n").count == 1, "\(small.stderr)")
        let none = try m2ae(["calibrate", "--model", c.model.path])
        #expect(none.status != 0, "\(none)")
    }
}
