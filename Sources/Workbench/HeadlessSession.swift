import Foundation
import TerminalUI

// MARK: - A session without a terminal

/// The workbench driven without a terminal: every effect runs inline, so after `send` the
/// state already holds the results. Used by tests, by `m2ae-bench tui` and by the runtime's
/// first frame.
public struct HeadlessSession {
    public private(set) var state: AppState
    public let services: any WorkbenchServices
    /// Effects seen so far that need a terminal (`.export`, `.redraw`).
    public private(set) var terminalEffects: [Effect] = []

    /// Opens a session on `services` at `width` × `height` and loads the records.
    public init(services: any WorkbenchServices, width: Int = 80, height: Int = 24, useColor: Bool = true) {
        self.services = services
        state = AppState(width: width, height: height, storeName: services.storeName, modelName: services.modelName)
        state.useColor = useColor
        state.hasWaveforms = services.hasWaveforms
        state.patchCount = services.patchCount
        state.storeLabels = services.storeLabels
        state.probesGenerated = services.probesFromGeneratedLabels
        state.message = services.notice
        state.running.insert(.records)
        apply([.loadRecords])
    }

    /// Delivers one message and runs every effect it causes (recursively) to completion.
    public mutating func send(_ msg: Msg) {
        apply(update(&state, msg))
    }

    /// Presses keys in order.
    public mutating func press(_ keys: Key...) { for k in keys { send(.key(k)) } }

    /// Runs effects inline, feeding their results back through `update`.
    private mutating func apply(_ effects: [Effect]) {
        var queue = effects
        while !queue.isEmpty {
            let e = queue.removeFirst()
            if let msg = runEffect(e, services) { queue += update(&state, msg) } else { terminalEffects.append(e) }
        }
    }

    /// The current frame.
    public var frame: Buffer { render(state) }
}
