import Foundation
import Testing
import TerminalUI
@testable import Workbench
import Support

@Suite struct KeyScriptTests {
    @Test func parsesKeysTypingWaitsPaceAndCaptions() throws {
        let s = try KeyScript(parsing: """
        # demo
        pace 100
        caption Hello there
        key Down Tab
        wait 500
        type ab
        caption
        """, source: "demo.keys")
        #expect(s.steps.map(\.delay) == [0, 0, 100, 600, 100, 100])
        #expect(s.steps.map(\.step) == [.caption("Hello there"), .key(.down), .key(.tab), .key(.char("a")), .key(.char("b")), .caption(nil)])
        #expect(s.duration == 900)
    }

    @Test func errorsNameTheFileAndLine() {
        #expect(throws: WorkbenchError.self) { try KeyScript(parsing: "key Down\nkey Sideways", source: "x.keys") }
        do { _ = try KeyScript(parsing: "key Down\n\nkey Sideways", source: "x.keys") } catch {
            #expect("\(error)" == "x.keys:3: unknown key 'Sideways'")
        }
        do { _ = try KeyScript(parsing: "jump 3", source: "y.keys") } catch {
            #expect("\(error)".hasPrefix("y.keys:1: unknown command 'jump'"))
        }
        do { _ = try KeyScript(parsing: "wait soon", source: "z.keys") } catch {
            #expect("\(error)" == "z.keys:1: 'wait' needs milliseconds from 0 to 3600000, got 'soon'")
        }
        // A delay that would overflow the script's total time (it trapped) is refused.
        #expect { _ = try KeyScript(parsing: "wait 9223372036854775807\nwait 9223372036854775807\nkey q", source: "big.keys") } throws: {
            "\($0)" == "big.keys:1: 'wait' needs milliseconds from 0 to 3600000, got '9223372036854775807'"
        }
        #expect(throws: WorkbenchError.self) { try KeyScript(contentsOf: URL(fileURLWithPath: "/nonexistent/demo.keys")) }
    }

    @Test func recordedTextRoundTrips() throws {
        let s = KeyScript(steps: [(0, .key(.char("/"))), (250, .key(.char(" "))), (40, .key(.ctrl("l"))), (1000, .caption("x y")), (5, .key(.backTab))])
        #expect(try KeyScript(parsing: s.text, source: "rec") == s)
    }

    @Test func theTourParsesAndVisitsEveryPane() throws {
        let tour = try KeyScript(parsing: Tour.text, source: "tour")
        var session = HeadlessSession(services: SyntheticServices(subjects: 20, segmentsPerSubject: 10), width: 80, height: 24)
        var visited: Set<Pane> = []
        for (_, step) in tour.steps {
            switch step {
            case .key(let k): session.press(k)
            case .caption(let c): session.send(.caption(c))
            }
            visited.insert(session.state.focus)
            #expect(!session.state.quit)
        }
        #expect(visited == Set(Pane.allCases))
        #expect(session.state.caption == nil && !session.state.showHelp)
        #expect(tour.duration > 30_000 && tour.duration < 120_000)
    }
}

@Suite struct ExportTests {
    @Test func writesTextAndSVGWithFreshNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let frame = HeadlessSession(services: SyntheticServices(subjects: 3, segmentsPerSubject: 2), width: 80, height: 24).frame
        let first = try exportFrame(frame, to: folder, colors: true)
        let second = try exportFrame(frame, to: folder, colors: true)
        #expect(first.map { URL(fileURLWithPath: $0).lastPathComponent } == ["m2ae-view-1.txt", "m2ae-view-1.svg"])
        #expect(second.map { URL(fileURLWithPath: $0).lastPathComponent } == ["m2ae-view-2.txt", "m2ae-view-2.svg"])
        let txt = try String(contentsOfFile: first[0], encoding: .utf8)
        #expect(txt.split(separator: "\n", omittingEmptySubsequences: false).count == 25)
        #expect(txt.contains("Records 1/6"))
        let svg = try String(contentsOfFile: first[1], encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("Records 1/6"))
        // A folder that cannot be made (a file is in the way) is an error naming it.
        let blocker = folder.appendingPathComponent("a-file")
        try Data().write(to: blocker)
        #expect { try exportFrame(frame, to: blocker.appendingPathComponent("figures"), colors: true) } throws: { "\($0)".contains("a-file/figures") }
    }
}

@Suite struct SyntheticServicesTests {
    let services = SyntheticServices(subjects: 4, segmentsPerSubject: 3)

    @Test func peaksSitOnTheTraceMaxima() throws {
        let t = try services.trace(5)
        #expect(t.ecg.count == 1250 && t.ppg.count == 1250)
        for p in t.rPeaks where p > 2 && p < 1247 {
            #expect(t.ecg[p] >= t.ecg[p - 2] && t.ecg[p] >= t.ecg[p + 2])
        }
        #expect(t.heartRate! > 40 && t.heartRate! < 130)
        #expect(throws: WorkbenchError.self) { try services.trace(12) }
    }

    @Test func neighboursAreSortedAndRespectTheSubjectToggle() throws {
        let n = try services.neighbours(0, mode: .both, k: 5, sameSubject: false)
        #expect(n.count == 5)
        #expect(zip(n, n.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        #expect(n.allSatisfy { $0.subject != "S0000" && $0.index != 0 })
        let withOwn = try services.neighbours(0, mode: .both, k: 11, sameSubject: true)
        #expect(withOwn.count == 11 && withOwn.contains { $0.subject == "S0000" })
    }

    @Test func reconstructionMetricsAreComputedFromTheSeries() throws {
        let r = try #require(try services.reconstruct(0, mode: .ppgToECG, mask: AppState.mask(ratio: 0.5, seed: 0)))
        #expect(abs(try #require(r.pearson) - (try #require(pearson(r.original, r.reconstructed)))) < 1e-9)
        #expect(abs(r.rmse - (try #require(rmse(r.original, r.reconstructed)))) < 1e-9)
    }

    @Test func maskIsReproducibleAndHasTheRequestedSize() {
        #expect(AppState.mask(ratio: 0.5, seed: 7) == AppState.mask(ratio: 0.5, seed: 7))
        #expect(AppState.mask(ratio: 0.5, seed: 7) != AppState.mask(ratio: 0.5, seed: 8))
        #expect(AppState.mask(ratio: 0.3, seed: 1).filter { $0 }.count == 15)
    }
}
