import Foundation
import TerminalUI
import Store

// MARK: - Running effects

/// Turns one effect into the message that reports its result, by calling the services.
/// Used by the terminal runtime (on a background queue) and by `HeadlessSession` (inline).
/// `.export`, `.redraw`, `.suspend` and `.stopDemo` need the terminal and return nil here.
public func runEffect(_ effect: Effect, _ services: any WorkbenchServices) -> Msg? {
    func capture<T>(_ body: () throws -> T) -> Result<T, WorkbenchError> {
        do { return .success(try body()) } catch let e as WorkbenchError { return .failure(e) } catch { return .failure(WorkbenchError("\(error)")) }
    }
    switch effect {
    case .loadRecords: return .recordsLoaded(capture { try services.records() })
    case .loadTrace(let i): return .traceLoaded(i, capture { try services.trace(i) })
    case .loadRisk(let m): return .riskLoaded(m, capture { (try services.risk(mode: m), try services.unfamiliar(mode: m)) })
    case .reconstruct(let i, let mode, let mask): return .reconstructionLoaded(i, mode, capture { try services.reconstruct(i, mode: mode, mask: mask) })
    case .findNeighbours(let i, let m, let k, let same): return .neighboursLoaded(i, m, capture { try services.neighbours(i, mode: m, k: k, sameSubject: same) })
    case .project(let method, let m): return .projectionLoaded(method, m, capture { try services.projection(method, mode: m) })
    case .computePCA(let m): return .projectionLoaded(.pca, m, capture { try services.computeProjection(mode: m) })
    case .predict(let i, let m): return .predictionsLoaded(i, m, capture { (try services.predictions(i, mode: m), try services.familiarity(i, mode: m)) })
    case .export, .redraw, .suspend, .stopDemo: return nil
    }
}

/// Writes a frame as `m2ae-view-N.txt` (plain text) and `m2ae-view-N.svg` in `folder`, with
/// N the first number not yet used; the folder is made when it does not exist. Returns the two paths.
public func exportFrame(_ frame: Buffer, to folder: URL, colors: Bool) throws -> [String] {
    var n = 1
    let fm = FileManager.default
    do {
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw WorkbenchError("\(folder.path): cannot make the export folder (\(error.localizedDescription))")
    }
    while fm.fileExists(atPath: folder.appendingPathComponent("m2ae-view-\(n).txt").path) { n += 1 }
    let txt = folder.appendingPathComponent("m2ae-view-\(n).txt")
    let svg = folder.appendingPathComponent("m2ae-view-\(n).svg")
    do {
        try AtomicReplace.write(Data((frame.lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n").utf8), to: txt)
        try AtomicReplace.write(Data(frame.svg(colors: colors).utf8), to: svg)
    } catch {
        throw WorkbenchError("\(folder.path): cannot export the view (\(error))")
    }
    return [txt.path, svg.path]
}
