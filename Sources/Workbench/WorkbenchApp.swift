import Foundation
import TerminalUI
import Store

// MARK: - The terminal runtime

/// Runs the workbench in the terminal: reads events, calls `update`, runs effects on a
/// background queue and draws `render(state)` through the diffing ncurses backend.
///
/// Input never waits for the services: effects run on one serial queue (the HDF5 library is
/// not thread-safe), and an effect whose result is already stale when its turn comes (a newer
/// effect of the same job was queued since) is skipped.
public final class WorkbenchApp {
    /// How the app is run.
    public struct Options: Sendable {
        public var useColor: Bool
        /// A demo to replay; after its last step the app stays interactive.
        public var script: KeyScript?
        /// Where to write the keys the user presses, as a key script, on exit.
        public var recordURL: URL?
        /// Where `x` exports the view.
        public var exportFolder: URL
        public init(useColor: Bool, script: KeyScript? = nil, recordURL: URL? = nil, exportFolder: URL) {
            self.useColor = useColor; self.script = script; self.recordURL = recordURL; self.exportFolder = exportFolder
        }
    }

    private let services: any WorkbenchServices
    private let options: Options
    private let inbox = Inbox()
    private let queue = DispatchQueue(label: "m2ae.workbench.effects", qos: .userInitiated)

    public init(services: any WorkbenchServices, options: Options) {
        self.services = services; self.options = options
    }

    /// Runs until the user quits or a termination signal arrives; the terminal is restored
    /// on every way out (return, thrown error, signal; crash signals restore it too).
    public func run() throws {
        let terminal = Terminal()
        terminal.start(useColor: options.useColor)
        defer { terminal.stop() }
        let size = terminal.size
        var state = AppState(width: size.width, height: size.height, storeName: services.storeName, modelName: services.modelName)
        state.probesGenerated = services.probesFromGeneratedLabels
        state.useColor = options.useColor && terminal.colorsEnabled
        state.hasWaveforms = services.hasWaveforms
        state.patchCount = services.patchCount
        state.storeLabels = services.storeLabels
        state.message = services.notice
        state.running.insert(.records)
        submit(.loadRecords)

        var recorded: [(delay: Int, step: KeyScript.Step)] = []
        // Gaps are measured from when the user takes over: the records are in and no demo plays.
        var lastKeyTime = Date()
        var script = options.script?.steps[...] ?? []
        // The script starts once the records are in, so its first keys are not lost.
        var nextStepAt = Date.distantFuture
        var frame = render(state)
        terminal.draw(frame)

        while !state.quit {
            if terminal.receivedSignal != nil { break }
            var messages: [(msg: Msg, typed: Bool)] = []
            if let event = terminal.nextEvent() {
                switch event {
                case .key(let k): messages.append((.key(k), true))
                case .resize(let w, let h): messages.append((.resize(width: w, height: h), false))
                case .mouse(let x, let y, let a): messages.append((.mouse(x: x, y: y, a), false))
                }
            }
            if nextStepAt == .distantFuture, !state.running.contains(.records) {
                nextStepAt = Date().addingTimeInterval(Double(script.first?.delay ?? 0) / 1000)
                if !script.isEmpty { messages.append((.demoPlaying(true), false)) }
                lastKeyTime = Date()
            }
            while let step = script.first, Date() >= nextStepAt {
                script.removeFirst()
                switch step.step {
                case .key(let k): messages.append((.demoKey(k), false))
                case .caption(let c): messages.append((.caption(c), false))
                }
                nextStepAt = Date().addingTimeInterval(Double(script.first?.delay ?? 0) / 1000)
                if script.isEmpty { messages.append((.demoPlaying(false), false)); lastKeyTime = Date() }
            }
            messages += inbox.drain().map { ($0, false) }
            guard !messages.isEmpty else { continue }
            for (msg, typed) in messages {
                let effects = update(&state, msg)
                for effect in effects {
                    switch effect {
                    case .redraw: terminal.invalidate()
                    case .suspend:
                        terminal.suspend()
                        let size = terminal.size
                        _ = update(&state, .resize(width: size.width, height: size.height))
                    case .stopDemo:
                        script = []
                        lastKeyTime = Date()
                    case .export:
                        let snapshot = frame, folder = options.exportFolder, colors = state.useColor, inbox = inbox
                        queue.async { inbox.post(.exported(Result { try exportFrame(snapshot, to: folder, colors: colors) }.mapError { ($0 as? WorkbenchError) ?? WorkbenchError("\($0)") })) }
                    default: submit(effect)
                    }
                }
                // A recording replays what the user did, not how the session ended or what it
                // wrote: quitting, exporting, redrawing, suspending and stopping a demo are left out.
                if typed, case .key(let k) = msg, !state.quit,
                   !effects.contains(where: { [.export, .redraw, .suspend, .stopDemo].contains($0) }) {
                    let now = Date()
                    recorded.append((Int(now.timeIntervalSince(lastKeyTime) * 1000), .key(k)))
                    lastKeyTime = now
                }
                if state.quit { break }
            }
            frame = render(state)
            terminal.draw(frame)
        }
        terminal.stop()
        if let url = options.recordURL {
            try AtomicReplace.write(Data(KeyScript(steps: recorded).text.utf8), to: url)
        }
    }

    /// Queues an effect; it is skipped if a newer effect of the same job arrives first.
    private func submit(_ effect: Effect) {
        let job = effect.job
        let generation = inbox.bump(job)
        let services = self.services, inbox = self.inbox
        queue.async {
            guard inbox.isLatest(job, generation) else { return }
            if let msg = runEffect(effect, services) { inbox.post(msg) }
        }
    }
}

/// Messages from the background queue to the event loop, and the newest request per job.
private final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Msg] = []
    private var generations: [Job: Int] = [:]

    func post(_ msg: Msg) { lock.withLock { messages.append(msg) } }
    func drain() -> [Msg] { lock.withLock { defer { messages = [] }; return messages } }
    func bump(_ job: Job?) -> Int {
        guard let job else { return 0 }
        return lock.withLock { generations[job, default: 0] += 1; return generations[job]! }
    }
    func isLatest(_ job: Job?, _ generation: Int) -> Bool {
        guard let job else { return true }
        return lock.withLock { generations[job] == generation }
    }
}
