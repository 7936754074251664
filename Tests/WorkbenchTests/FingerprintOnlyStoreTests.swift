import Foundation
import Testing
import TestSupport
import Store
@testable import Workbench

/// The workbench on a fingerprint-only export (`m2ae export`): records, neighbours and the
/// projection work; the Traces pane says there are no waveforms instead of failing.
@Suite struct FingerprintOnlyStoreTests {
    @Test func tracesSayThereAreNoWaveforms() throws {
        let folder = try StoreServicesTests.makeStore(withModel: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let share = folder.appendingPathComponent("share.h5")
        try StoreExport.write(try RecordStore(url: folder.appendingPathComponent("cohort.h5")), model: "m1", to: share,
                              salt: nil, attributes: ["generator": "test"])
        let services = try StoreServices(url: share)
        #expect(try services.records().count == 12)
        #expect(try services.neighbours(0, mode: .both, k: 3, sameSubject: true).map(\.index) == [1, 2, 3])
        var session = HeadlessSession(services: services, width: 80, height: 24)
        let text = session.frame.lines.joined(separator: "\n")
        #expect(text.contains("no waveforms: this store holds") && !text.contains("loading segment"), "\(text)")
        // Reconstruction says the same, and nothing failed on the way.
        session.press(.tab, .tab)
        let recon = session.frame.lines.joined(separator: "\n")
        #expect(recon.contains("Reconstruction") && recon.contains("no waveforms"), "\(recon)")
        #expect(session.state.message == nil, "\(session.state.message ?? "")")
    }
}
