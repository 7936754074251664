import Foundation
import Pipelines
import Query
import Testing
import Store
import Signals
import Model
@testable import Analytics
import TerminalUI
import TestSupport
@testable import Workbench

/// `StoreServices` with a real (tiny, random) model: the store of `StoreServicesTests`
/// embedded by the Model's `Embedder`, probe heads fitted by Analytics' `LinearProbe` and
/// saved beside the checkpoint. Results are checked against the Model's `Reconstructor` and
/// the query layer's `Prediction.predict` / `PCA`, the code paths `m2ae reconstruct|predict|project` use.
@Suite struct ModelServicesTests {
    /// The store, checkpoint and probes; `folder` is removed by the caller.
    struct Fixture {
        let folder: URL
        let store: URL
        let checkpoint: URL
        let model: M2AEModel
    }

    static func makeFixture(probes: Bool = true) throws -> Fixture {
        let folder = try StoreServicesTests.makeStore(withModel: false)
        let store = folder.appendingPathComponent("cohort.h5")
        let model = try M2AEModel.random(config: .tiny, seed: 11)
        let checkpoint = folder.appendingPathComponent("tiny.safetensors")
        try model.save(to: checkpoint)
        _ = try Embedder(model: model, batchSize: 4).run(store: store)
        guard probes else { return Fixture(folder: folder, store: store, checkpoint: checkpoint, model: model) }
        let opened = try RecordStore(url: store)
        let labels = (0..<12).map { SyntheticServices.labels(subject: $0 / 4) }
        var heads: [String: [String: ProbeHead]] = [:]
        for mode in FingerprintMode.allCases {
            let x = try opened.fingerprints(model: model.id, mode: mode, 0..<12)
            let dim = model.config.fingerprintDim
            heads["cvd5-ecg", default: [:]][mode.rawValue] = try LinearProbe.fit(
                x, dim: dim, target: .classes(labels.map { Int($0.ecgClass!.rawValue) }, names: ECGClass.names), regularisation: 1)
            heads["sex", default: [:]][mode.rawValue] = try LinearProbe.fit(
                x, dim: dim, target: .classes(labels.map { Int($0.sex!.rawValue) }, names: ["female", "male"]), regularisation: 1)
            heads["age", default: [:]][mode.rawValue] = try LinearProbe.fit(
                x, dim: dim, target: .values(labels.map { $0.age! }, unit: "years"), regularisation: 1)
        }
        try ProbeFile(modelID: model.id, dim: model.config.fingerprintDim, trainedOn: "cohort.h5", trainSubjects: 3, heads: heads)
            .save(to: ProbeFile.location(checkpoint: checkpoint))
        return Fixture(folder: folder, store: store, checkpoint: checkpoint, model: model)
    }

    // MARK: - Services

    @Test func crossModalReconstructionMatchesTheReconstructor() throws {
        let f = try Self.makeFixture(probes: false)
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        #expect(services.modelName == f.model.id)
        #expect(services.notice?.contains("no probe heads") == true)
        let oracle = try Reconstructor(model: f.model).scores(store: try RecordStore(url: f.store), 3..<4, from: .ppg)[0]!
        let r = try #require(try services.reconstruct(3, mode: .ppgToECG, mask: AppState.mask(ratio: 0.5, seed: 3)))
        let raw = try RecordStore(url: f.store).segment(3)
        #expect(r.index == 3 && r.mode == .ppgToECG && r.reconstructed.count == 1250)
        #expect(r.original == Preprocessing.prepare(raw.ecg, modality: .ecg))
        #expect(abs(r.pearson! - oracle.pearson!) < 1e-4 && abs(r.rmse - oracle.rmse) < 1e-4)
        let back = try #require(try services.reconstruct(3, mode: .ecgToPPG, mask: []))
        let oracleBack = try Reconstructor(model: f.model).scores(store: try RecordStore(url: f.store), 3..<4, from: .ecg)[0]!
        #expect(abs(back.rmse - oracleBack.rmse) < 1e-4)
        // Without probes, no predictions and no risk.
        #expect(try services.predictions(3, mode: .both).isEmpty)
        #expect(try services.risk(mode: .both) == nil)
    }

    /// A store with measured device delays: the model sees the PPG at its own delay (as
    /// `m2ae reconstruct` does), the pane draws the PPG in the record's time and says the delay.
    @Test func aMeasuredDelayMovesThePPGForTheModelAndBackForThePane() throws {
        let f = try Self.makeFixture(probes: false)
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let source = try RecordStore(url: f.store)
        let url = f.folder.appendingPathComponent("delayed.h5")
        let writer = try StoreWriter(url: url, subjects: source.subjects, attributes: [:])
        try writer.append(try (0..<source.segmentCount).map { i in
            var s = try source.segment(i)
            s.meta.ppgDelay = i < 8 ? 0.54 : nil
            return s
        })
        try writer.commit()
        _ = try Embedder(model: f.model, batchSize: 4).run(store: url)
        let services = try StoreServices(url: url, checkpoint: f.checkpoint)
        let store = try RecordStore(url: url), raw = try store.segment(3)
        let shift = DeviceDelay.shift(delay: 0.54)
        #expect(shift == 30)

        let toPPG = try #require(try services.reconstruct(3, mode: .ecgToPPG, mask: []))
        let oracle = try Reconstructor(model: f.model).scores(store: store, 3..<4, from: .ecg)[0]!
        let unaligned = try Reconstructor(model: f.model, alignPPG: false).scores(store: store, 3..<4, from: .ecg)[0]!
        #expect(toPPG.ppgDelay == 0.54 && toPPG.ppgShift == 30)
        #expect(toPPG.original == Preprocessing.prepare(raw.ppg, modality: .ppg))
        #expect(abs(toPPG.rmse - oracle.rmse) < 1e-4 && abs(toPPG.rmse - unaligned.rmse) > 1e-3)

        // Masked PPG: the visible patches of the model's PPG lie `shift` samples later in the
        // record's time, where the drawn reconstruction equals the recorded PPG.
        let mask = AppState.mask(ratio: 0.3, seed: 1)
        let masked = try #require(try services.reconstruct(3, mode: .maskedPPG, mask: mask))
        for t in 0..<49 where !mask[t] {
            for k in 0..<25 { #expect(masked.reconstructed[t * 25 + k + shift] == masked.original[t * 25 + k + shift]) }
        }
        #expect((0..<49).contains { t in mask[t] && (0..<25).contains { masked.reconstructed[t * 25 + $0 + shift] != masked.original[t * 25 + $0 + shift] } })

        // The pane says which timing the model used.
        var session = HeadlessSession(services: services, width: 120, height: 30, useColor: false)
        while session.state.focus != .reconstruction { session.press(.tab) }
        #expect(session.frame.lines.joined().contains("delay 540 ms"))
        session.press(.char("G"))
        #expect(session.state.current?.index == 11)
        #expect(session.frame.lines.joined().contains("delay not measured: 0.30 s assumed"))
    }

    @Test func maskedReconstructionScoresTheHiddenPatchesOnly() throws {
        let f = try Self.makeFixture(probes: false)
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        let mask = AppState.mask(ratio: 0.3, seed: 1)
        let r = try #require(try services.reconstruct(1, mode: .maskedPPG, mask: mask))
        var hiddenDiffers = false
        var se = 0.0, n = 0.0
        for t in 0..<50 {
            for k in 0..<25 {
                let i = t * 25 + k
                if mask[t] {
                    hiddenDiffers = hiddenDiffers || r.reconstructed[i] != r.original[i]
                    se += Double(r.reconstructed[i] - r.original[i]) * Double(r.reconstructed[i] - r.original[i]); n += 1
                } else {
                    #expect(r.reconstructed[i] == r.original[i])
                }
            }
        }
        #expect(hiddenDiffers && n == 15 * 25)
        #expect(abs(r.rmse - (se / n).squareRoot()) < 1e-6)
        // A different mask gives a different score; an empty mask is refused with a message.
        let other = try #require(try services.reconstruct(1, mode: .maskedPPG, mask: AppState.mask(ratio: 0.7, seed: 1)))
        #expect(other.rmse != r.rmse)
        #expect(throws: WorkbenchError.self) { try services.reconstruct(1, mode: .maskedECG, mask: [Bool](repeating: false, count: 50)) }
    }

    @Test func predictionsAndRiskMatchTheAnalyticsHeads() throws {
        let f = try Self.makeFixture()
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        #expect(services.notice == nil)
        let store = try RecordStore(url: f.store)
        let probes = try ProbeFile.load(ProbeFile.location(checkpoint: f.checkpoint))
        for mode in FingerprintMode.allCases {
            let p = try services.predictions(6, mode: mode)
            let oracle = try Query.Prediction.predict(store: store, probes: probes, segment: 6, mode: mode)
            #expect(p.map(\.task) == ["CVD 5-class (ECG)", "age (years)", "sex"])
            let cvd = p[0], age = p[1], sex = p[2]
            // Segment 6 is subject 1's: AF, 62 years, male.
            #expect(cvd.classes.map(\.name) == ECGClass.names && cvd.truth == "AF")
            for (name, prob) in cvd.classes { #expect(abs(prob - oracle.outputs[0].probabilities![name]!) < 1e-6) }
            #expect(abs(cvd.classes.map(\.probability).reduce(0, +) - 1) < 1e-5)
            #expect(age.value == oracle.outputs.first { $0.task == .age }!.value && age.unit == "years" && age.truth == "62")
            #expect(sex.truth == "male" && abs(sex.classes[1].probability - oracle.outputs.first { $0.task == .sex }!.risk!) < 1e-6)
        }
        let risk = try #require(try services.risk(mode: .ecg))
        #expect(risk.count == 12)
        for i in [0, 5, 11] {
            let o = try Query.Prediction.predict(store: store, probes: probes, segment: i, mode: .ecg)
            #expect(abs(risk[i] - (1 - o.outputs[0].probabilities!["NSR"]!)) < 1e-5)
        }
        // Another mode is its own column; coming back serves the first one unchanged.
        let ppgRisk = try #require(try services.risk(mode: .ppg))
        #expect(ppgRisk.count == 12 && ppgRisk != risk)
        #expect(try services.risk(mode: .ecg) == risk)
    }

    /// The workbench's familiarity marks agree with `m2ae predict`'s (`Query.Prediction`,
    /// with the model run for the reconstruction half); the risk column's flags are the distance half.
    @Test func familiarityMarksMatchTheAnalyticsCheck() throws {
        let f = try Self.makeFixture()
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let url = ProbeFile.location(checkpoint: f.checkpoint)
        var probes = try ProbeFile.load(url)
        let unknown = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        #expect(try unknown.familiarity(3, mode: .both) == .unknown && unknown.unfamiliar(mode: .both) == nil && !unknown.probesFromGeneratedLabels)
        // A calibration whose thresholds sit at the medians, so that both marks occur.
        let store = try RecordStore(url: f.store)
        let dim = f.model.config.fingerprintDim
        let x = try store.fingerprints(model: f.model.id, mode: .both, 0..<12)
        var reference = Familiarity.Reference(dim: dim, rows: (0..<4).flatMap { Familiarity.unit(x[$0 * dim ..< ($0 + 1) * dim]) },
                                              calibration: [], threshold: .infinity)
        let distances = Familiarity.distances(x, reference: reference, k: 2).sorted()
        reference.calibration = distances; reference.threshold = distances[6]
        let errors = try Familiarity.reconstructionErrors(store: store, rows: Array(0..<12), model: f.model).compactMap { $0 }.sorted()
        probes.familiarity = Familiarity(k: 2, coverage: 0.95, calibratedOn: "cohort.h5", modes: [FingerprintMode.both.rawValue: reference],
                                         reconstruction: .init(maskSeed: 0, calibration: errors, threshold: errors[errors.count / 2]))
        probes.labelSource = "generated"
        try probes.save(to: url)
        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        #expect(services.probesFromGeneratedLabels)
        var marks: [FamiliarityMark] = []
        for i in 0..<12 {
            let mark = try services.familiarity(i, mode: .both)
            let oracle = try #require(try Query.Prediction.predict(store: store, probes: probes, segment: i, mode: .both, model: f.model).familiarity)
            #expect(mark == (oracle.reliable ? .familiar(oracle.familiarity) : .unfamiliar(oracle.familiarity)), "segment \(i)")
            marks.append(mark)
        }
        #expect(marks.contains { if case .unfamiliar = $0 { true } else { false } } && marks.contains { if case .familiar = $0 { true } else { false } })
        let flags = try #require(try services.unfamiliar(mode: .both))
        let distanceOnly = try #require(probes.familiarity?.scores(x, mode: .both))
        #expect(flags == distanceOnly.map { !($0?.reliable ?? true) })
        // No reference for the ECG mode: unknown, not a default.
        #expect(try services.familiarity(3, mode: .ecg) == .unknown)
    }

    @Test func pcaComputedOnRequestWithoutWritingTheStore() throws {
        let f = try Self.makeFixture(probes: false)
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        #expect(try services.projection(.pca, mode: .ecg) == nil)
        let points = try #require(try services.computeProjection(mode: .ecg))
        let store = try RecordStore(url: f.store)
        let rows = try StoreFingerprints(store: store, model: f.model.id, mode: .ecg)
        let pca = try PCA.fit(rows, components: 2)
        for i in 0..<12 {
            let y = pca.transform(try rows.rows(i..<(i + 1)))
            #expect(abs(points[2 * i] - y[0]) < 1e-4 && abs(points[2 * i + 1] - y[1]) < 1e-4)
        }
        #expect(try services.projection(.pca, mode: .ecg) == points)
        #expect(try services.projection(.umap, mode: .ecg) == nil)
        #expect(try services.projection(.pca, mode: .ppg) == nil)
        #expect(try store.matrixShape(StoreLayout.projections(model: f.model.id) + "/pca") == nil)
    }

    @Test func aCheckpointOfAnotherModelIsReported() throws {
        let f = try Self.makeFixture(probes: false)
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let other = f.folder.appendingPathComponent("other.safetensors")
        try M2AEModel.random(config: .tiny, seed: 12).save(to: other)
        let services = try StoreServices(url: f.store, checkpoint: other)
        #expect(services.modelName == f.model.id)
        #expect(services.notice?.contains("(other.safetensors) not embedded in cohort.h5") == true)
        #expect(try services.reconstruct(0, mode: .ppgToECG, mask: []) == nil)
        let none = try StoreServices(url: f.store)
        #expect(none.notice?.contains("no checkpoint") == true)
        let broken = f.folder.appendingPathComponent("broken.safetensors")
        try Data("not a checkpoint".utf8).write(to: broken)
        #expect(throws: WorkbenchError.self) { try StoreServices(url: f.store, checkpoint: broken) }
    }

    /// The store's own labels (`m2ae label`, heads in `labelHeads`) are listed after the
    /// built-in tasks, each beside the segment's value in the label table, with the numbers
    /// `m2ae predict` prints for them.
    @Test func userLabelTasksAreListedWithTheirTruth() throws {
        let f = try Self.makeFixture()
        defer { try? FileManager.default.removeItem(at: f.folder) }
        let activity = Label(name: "activity", kind: .categorical, scope: .record, classes: ["rest", "bike", "speak"],
                             values: (0..<12).map { $0 == 7 ? nil : Double($0 % 3) })
        let bmi = Label(name: "bmi", kind: .numeric, scope: .subject, values: [19.5, 27, 31.25])
        try StoreEditor.edit(f.store) { e in
            try e.setLabel(activity, replace: false)
            try e.setLabel(bmi, replace: false)
        }
        let opened = try RecordStore(url: f.store)
        var probes = try ProbeFile.load(ProbeFile.location(checkpoint: f.checkpoint))
        var labelHeads: [String: [String: ProbeHead]] = [:]
        for mode in FingerprintMode.allCases {
            let x = try opened.fingerprints(model: f.model.id, mode: mode, 0..<12)
            let keep = (0..<12).filter { $0 != 7 }
            labelHeads["activity", default: [:]][mode.rawValue] = try LinearProbe.fit(
                LinearProbe.rows(x, dim: probes.dim, keep), dim: probes.dim,
                target: .classes(keep.map { $0 % 3 }, names: activity.classes), regularisation: 1)
            labelHeads["bmi", default: [:]][mode.rawValue] = try LinearProbe.fit(
                x, dim: probes.dim, target: .values((0..<12).map { Float(bmi.values[$0 / 4]!) }, unit: ""), regularisation: 1)
        }
        probes.labelHeads = labelHeads
        try probes.save(to: ProbeFile.location(checkpoint: f.checkpoint))

        let services = try StoreServices(url: f.store, checkpoint: f.checkpoint)
        for segment in [5, 7] {
            let rows = try services.predictions(segment, mode: .both)
            let oracle = try #require(try Query.Prediction.predict(store: opened, probes: probes, segment: segment, mode: .both).labelOutputs)
            #expect(rows.map(\.task) == ["CVD 5-class (ECG)", "age (years)", "sex", "activity", "bmi"])
            let act = rows[3], b = rows[4]
            // The label's own class order; the truth from the table (segment 7's is missing).
            #expect(act.classes.map(\.name) == ["rest", "bike", "speak"])
            #expect(act.truth == (segment == 7 ? nil : activity.classes[segment % 3]))
            for (name, p) in act.classes { #expect(p == oracle[0].probabilities![name]!) }
            #expect(b.value == oracle[1].value && b.truth == "27")
        }
        var session = HeadlessSession(services: services, width: 80, height: 24, useColor: false)
        session.press(.down, .down, .down, .down, .down)
        while session.state.focus != .predictions { session.press(.tab) }
        session.press(.char("z"))   // segment 5: activity "speak", bmi 27
        let frame = text(session.frame)
        #expect(frame.contains("activity") && frame.contains("true: speak") && frame.contains("bmi") && frame.contains("true: 27"), "\(frame)")
        expectSnapshot(session.frame, "predictions-user-labels-80x24")
    }

    /// A checkpoint with 25 patches of 50 samples: the masked modes hide patches of that model,
    /// not the shipped configurations' 50.
    @Test func theMaskFollowsTheModelsPatches() throws {
        let folder = try StoreServicesTests.makeStore(withModel: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("cohort.h5")
        let config = M2AEConfig(name: "wide-patches", patchSize: 50, numPatches: 25, dModel: 32, encoderLayers: 1, encoderHeads: 2,
                                sharedLayers: 1, fingerprintDim: 16, decoderDim: 16, decoderLayers: 1, decoderHeads: 1)
        let model = try M2AEModel.random(config: config, seed: 5)
        let checkpoint = folder.appendingPathComponent("wide.safetensors")
        try model.save(to: checkpoint)
        _ = try Embedder(model: model, batchSize: 4).run(store: store)
        let services = try StoreServices(url: store, checkpoint: checkpoint)
        #expect(services.patchCount == 25)
        var session = HeadlessSession(services: services, width: 100, height: 30, useColor: false)
        #expect(session.state.patchCount == 25 && session.state.mask.count == 25)
        while session.state.focus != .reconstruction { session.press(.tab) }
        session.press(.char("r"), .char("r"))
        #expect(session.state.reconMode == .maskedECG)
        let r = try #require(session.state.reconstruction)
        #expect(r.mode == .maskedECG && session.state.reconstructionNote == nil)
        #expect(session.state.mask.filter { $0 }.count == 12)   // ⌊0.5 · 25⌋
    }

    // MARK: - The app on these services

    @Test func panesShowTheModelsNumbers() throws {
        let f = try Self.makeFixture()
        defer { try? FileManager.default.removeItem(at: f.folder) }
        var session = HeadlessSession(services: try StoreServices(url: f.store, checkpoint: f.checkpoint), width: 100, height: 30, useColor: false)
        let s = session.state
        #expect(s.reconstruction?.index == 0 && s.risk?.count == 12 && s.predictions.count == 3)
        let text = session.frame.lines.joined(separator: "\n")
        #expect(text.contains("CVD 5-class") && text.contains("true: NSR"))
        #expect(text.contains(String(format: "%.2f", s.risk![0])))
        while session.state.focus != .reconstruction { session.press(.tab) }
        #expect(session.frame.lines.joined().contains(String(format: "r %.3f  RMSE %.3f", s.reconstruction!.pearson!, s.reconstruction!.rmse)))
        // Projection: none stored; P computes a PCA and the pane draws it.
        while session.state.focus != .projection { session.press(.tab) }
        #expect(session.frame.lines.joined().contains("P computes a PCA"))
        session.press(.char("P"))
        #expect(session.state.projection?.count == 24 && session.state.projectionKey == ProjectionKey(method: .pca, mode: .both))
        #expect(!session.frame.lines.joined().contains("P computes a PCA"))
        // Reconstruction: a masked mode, then more patches hidden, reruns with the new mask.
        while session.state.focus != .reconstruction { session.press(.tab) }
        session.press(.char("r"), .char("r"))
        #expect(session.state.reconstruction?.mode == .maskedECG)
        let before = session.state.reconstruction!.rmse
        session.press(.char("]"))
        #expect(session.state.reconstruction?.mode == .maskedECG && session.state.reconstruction!.rmse != before)
    }
}
