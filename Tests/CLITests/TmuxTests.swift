import Foundation
import Testing
import TestSupport

/// End-to-end tests of `m2ae tui`: the real binary in a detached tmux session on a small
/// store made by `m2ae synth`, driven with send-keys and read with capture-pane.
/// They skip (with the reason printed) when tmux or the built binary is absent.
@Suite(.serialized) struct TmuxTests {
    /// The debug binary built by `swift build` / `swift build --build-tests`.
    static let binary = TestSupport.projectRoot.appendingPathComponent(".build/debug/m2ae").path

    /// Why these tests cannot run here, or nil when they can.
    static let skipReason: String? = {
        if Tmux.which("tmux") == nil { return "tmux is not installed" }
        if !FileManager.default.isExecutableFile(atPath: binary) { return "\(binary) is not built (run swift build)" }
        return nil
    }()

    /// A fresh folder with `cohort.h5` (8 subjects × 4 segments) made by `m2ae synth`.
    static func makeStore() throws -> URL {
        let folder = try TestSupport.temporaryFolder("m2ae-tui-e2e")
        let r = try Tmux.run(binary, ["synth", "--subjects", "8", "--segments", "4", "--seed", "3", "--out", folder.appendingPathComponent("cohort.h5").path])
        guard r.status == 0 else { throw TmuxError("m2ae synth exited \(r.status): \(r.output)") }
        return folder
    }

    @Test func startNavigateHelpResizeAndQuitRestoresTheTerminal() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }

        // First frame: records, traces with peaks, status line.
        var screen = try tmux.waitFor("bpm")   // the trace arrives from the background queue
        #expect(screen.contains("Records 1/32") && screen.contains("Traces · S00000"))
        #expect(screen.contains("cohort.h5 · 32 seg · model none · mode ECG+PPG"))
        #expect(screen.contains("▲") && screen.contains("●"))   // R-peaks and PPG peaks marked
        #expect(screen.contains("HR ") && screen.contains("bpm"))

        tmux.send("Down", "Down")
        screen = try tmux.waitFor("Records 3/32")

        tmux.send("?")
        screen = try tmux.waitFor("quit the workbench")   // the last line checked: the frame may arrive in parts
        #expect(screen.contains("Help · keys") && screen.contains("Everywhere"))
        tmux.send("Escape")
        screen = try tmux.waitFor("Records 3/32")

        // Resize: larger shows more columns, tiny asks to enlarge, back to normal redraws.
        tmux.resize(width: 140, height: 40)
        screen = try tmux.waitFor("quality")
        #expect(screen.split(separator: "\n").first?.count ?? 0 > 100)
        tmux.resize(width: 30, height: 8)
        screen = try tmux.waitFor("enlarge")
        tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor("Records 3/32")
        #expect(!screen.contains("enlarge"))

        tmux.send("q")
        screen = try tmux.waitFor("STTY:")
        #expect(screen.contains("EXIT:0") && screen.contains("STTY: icanon echo"), "terminal not restored:\n\(screen)")
        #expect(!screen.contains("Records 3/32"))
    }

    @Test func sigtermAndCtrlCRestoreTheTerminal() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        for how in ["SIGTERM", "C-c"] {
            let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5", folder: folder, width: 80, height: 24)
            defer { tmux.kill() }
            _ = try tmux.waitFor("Records 1/32")
            if how == "SIGTERM" {
                let pid = try #require(tmux.childPID())
                kill(pid, SIGTERM)
            } else {
                tmux.send("C-c")
            }
            // STTY is echoed after EXIT: waiting for it avoids reading the pane in between.
            let screen = try tmux.waitFor("STTY:")
            #expect(screen.contains("EXIT:") && screen.contains("STTY: icanon echo"), "\(how): terminal not restored:\n\(screen)")
        }
    }

    @Test func scriptReplaysKeysWithCaptionsAndRecordWritesAScript() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "pace 50\ncaption Hello from the script\nkey Down Down Down\nwait 300\nkey x\n".write(to: folder.appendingPathComponent("demo.keys"), atomically: true, encoding: .utf8)
        let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5 --script demo.keys --record rec.keys", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }
        var screen = try tmux.waitFor("Hello from the script")
        screen = try tmux.waitFor("Records 4/32")
        screen = try tmux.waitFor("exported")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("m2ae-view-1.svg").path))
        let snapshot = try String(contentsOf: folder.appendingPathComponent("m2ae-view-1.txt"), encoding: .utf8)
        #expect(snapshot.contains("Records 4/32") && snapshot.contains("Hello from the script"))
        tmux.send("Up", "q")
        screen = try tmux.waitFor("EXIT:0")
        let recorded = try String(contentsOf: folder.appendingPathComponent("rec.keys"), encoding: .utf8)
        #expect(recorded.hasSuffix("key Up\n"))
        #expect(!recorded.contains("key Down"))   // replayed keys are not recorded
        #expect(!recorded.contains("key q") && !recorded.contains("key x"))   // nor quitting or exporting
        // The first gap counts from the end of the script, not from the start.
        let firstWait = recorded.split(separator: "\n").first { $0.hasPrefix("wait ") }.flatMap { Int($0.dropFirst(5)) } ?? 0
        #expect(firstWait < 5000, "\(recorded)")
    }

    @Test func modelCheckpointFillsReconstructionAndRisk() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("cohort.h5").path
        let ckpt = folder.appendingPathComponent("tiny.safetensors").path
        let r = try Tmux.run(Self.binary, ["embed", store, "--model", ckpt, "--init", "random", "--config", "tiny", "--seed", "5"])
        guard r.status == 0 else { throw TmuxError("m2ae embed exited \(r.status): \(r.output)") }
        let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5 --model tiny.safetensors", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }
        _ = try tmux.waitFor("no probe heads")
        tmux.send("Tab", "Tab")
        let screen = try tmux.waitFor("RMSE")
        #expect(screen.contains("Reconstruction · PPG → ECG"))
        tmux.send("q")
        _ = try tmux.waitFor("EXIT:0")
        // A checkpoint this store was not embedded with is named in the status line.
        let other = folder.appendingPathComponent("other.safetensors").path
        let copy = folder.appendingPathComponent("copy.h5")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: store), to: copy)
        let o = try Tmux.run(Self.binary, ["embed", copy.path, "--model", other, "--init", "random", "--config", "tiny", "--seed", "6"])
        guard o.status == 0 else { throw TmuxError("m2ae embed exited \(o.status): \(o.output)") }
        let tmux2 = try Tmux(command: "\(Self.binary) tui cohort.h5 --model other.safetensors", folder: folder, width: 80, height: 24)
        defer { tmux2.kill() }
        _ = try tmux2.waitFor("not embedded")
        tmux2.send("q")
        _ = try tmux2.waitFor("EXIT:0")
        let missing = try Tmux.run(Self.binary, ["tui", store, "--model", "/nonexistent/m.safetensors"])
        #expect(missing.status != 0 && missing.output.contains("/nonexistent/m.safetensors: no such checkpoint"))
    }

    /// What `make workbench` runs: `m2ae tui` from the checkout, no arguments, so the sample
    /// store and the shipped checkpoint beside it: every model pane shows the trained model.
    @Test func sampleStoreOpensWithTheShippedModel() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let root = TestSupport.projectRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("sample-data/m2ae-small.safetensors").path) else {
            print("skipping: sample-data/m2ae-small.safetensors is absent"); return
        }
        let folder = try TestSupport.temporaryFolder("m2ae-tui-sample")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try Tmux(command: "cd '\(root.path)' && \(Self.binary) tui", folder: folder, width: 100, height: 30)
        defer { tmux.kill() }
        var screen = try tmux.waitFor("CVD 5-class (ECG)", timeout: 20)
        #expect(screen.contains("cohort.h5 · 2,400 seg · model 44f135ad6152 · mode ECG+PPG"), "\(screen)")
        #expect(screen.contains("risk") && screen.contains("true: NSR"))
        tmux.send("Tab", "Tab")
        screen = try tmux.waitFor("RMSE", timeout: 20)
        #expect(screen.contains("Reconstruction · PPG → ECG"))
        tmux.send("Tab")
        screen = try tmux.waitFor("other subjects", timeout: 20)
        #expect(screen.contains("sim") && screen.contains("S00"))
        tmux.send("q")
        _ = try tmux.waitFor("EXIT:0")
    }

    @Test func missingStoreIsAClearOneLineError() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let r = try Tmux.run(Self.binary, ["tui", "/nonexistent/cohort.h5"])
        #expect(r.status != 0)
        #expect(r.output.contains("/nonexistent/cohort.h5: no such store; make one with `m2ae synth --out /nonexistent/cohort.h5`"))
        // A folder is named as one, not as a damaged store.
        let folder = try TestSupport.temporaryFolder("m2ae-tui-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        let d = try Tmux.run(Self.binary, ["tui", folder.path])
        #expect(d.status != 0 && d.output.contains("\(folder.path): a folder, not a store"), "\(d.output)")
        #expect(!d.output.contains("HDF5"))
    }

    // MARK: - Issue 18

    /// A presenter's key stops the tour: the key is not applied and the tour does not go on.
    @Test func aKeyStopsTheTour() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5 --tour --export-dir figures/new", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }
        _ = try tmux.waitFor("Welcome")
        tmux.send("G")
        var screen = try tmux.waitFor("demo stopped")
        #expect(screen.contains("Records 1/32") && !screen.contains("Welcome"))
        sleep(4)   // the tour would have pressed Down three times and moved on by now
        screen = tmux.capture()
        #expect(screen.contains("Records 1/32") && !screen.contains("↑/↓ move"), "\(screen)")
        // The keys are the user's again; x makes the missing --export-dir folder.
        tmux.send("G", "x")
        screen = try tmux.waitFor("exported")
        #expect(screen.contains("Records 32/32"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figures/new/m2ae-view-1.txt").path))
        tmux.send("q")
        _ = try tmux.waitFor("EXIT:0")
    }

    /// Ctrl-Z hands the terminal back to the shell; fg brings the workbench back, redrawn.
    @Test func ctrlZSuspendsAndFgResumes() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try Tmux(interactiveShellIn: folder, width: 80, height: 24)
        defer { tmux.kill() }
        tmux.send("\(Self.binary) tui cohort.h5", "Enter")
        _ = try tmux.waitFor("Records 1/32")
        tmux.send("Down")
        _ = try tmux.waitFor("Records 2/32")
        tmux.send("C-z")
        var screen = try tmux.waitFor("Stopped")
        #expect(!screen.contains("Records 2/32"))
        // The marker is built by the shell, so the typed command line cannot match the wait.
        tmux.send("clear; stty -a | grep -oE -- '-?icanon' | sed \"s/^/SUSP\"\"ENDED:/\"", "Enter")
        screen = try tmux.waitFor("SUSPENDED:")
        #expect(screen.contains("SUSPENDED:icanon"), "the shell's terminal is not cooked while suspended:\n\(screen)")
        tmux.send("fg", "Enter")
        _ = try tmux.waitFor("Records 2/32")
        screen = try tmux.waitFor("bpm")   // the repaint may be caught half-written
        #expect(screen.contains("Traces · S00000") && screen.contains("Records 2/32"))
        // One clean-clone run in six lost the first key after fg (cause not found; docs/reliability.md):
        // the key is sent once more then. A terminal left in cooked mode would fail both.
        tmux.send("Down")
        if (try? tmux.waitFor("Records 3/32", timeout: 3)) == nil {
            tmux.send("Down")
            var moved = tmux.capture()
            let deadline = Date().addingTimeInterval(10)
            while !moved.contains("Records 3/32") && !moved.contains("Records 4/32") && Date() < deadline {
                usleep(50_000); moved = tmux.capture()
            }
            #expect(moved.contains("Records 3/32") || moved.contains("Records 4/32"), "no key reached the workbench after fg:\n\(moved)")
        }
        tmux.send("q")
        tmux.send("echo \"DONE:$? $(stty -a | grep -oE -- '-?icanon')\"", "Enter")
        screen = try tmux.waitFor("DONE:0 icanon")
    }

    /// A click whose press and release arrive in one read selects the row, and the panes
    /// fill in without another key.
    @Test func aClickInOneWriteSelectsAndTheResultsArrive() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try Tmux(command: "\(Self.binary) tui cohort.h5", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }
        _ = try tmux.waitFor("bpm")
        // SGR mouse reports (xterm-256color's kmous): button 1 pressed and released at column
        // 5, row 12 (1-based), i.e. the ninth Records row.
        tmux.sendLiteral("\u{1b}[<0;5;12M\u{1b}[<0;5;12m")
        var screen = try tmux.waitFor("Records 9/32")
        let end = Date().addingTimeInterval(5)
        while (screen.contains("loading segment") || screen.contains("⟳")) && Date() < end {
            usleep(100_000)
            screen = tmux.capture()
        }
        #expect(!screen.contains("loading segment") && !screen.contains("⟳"), "\(screen)")
        #expect(screen.contains("bpm"))
        // A press and its release in separate writes are one click, not two.
        tmux.sendLiteral("\u{1b}[<0;5;14M")
        usleep(300_000)
        tmux.sendLiteral("\u{1b}[<0;5;14m")
        screen = try tmux.waitFor("Records 11/32")
        tmux.send("q")
        _ = try tmux.waitFor("EXIT:0")
    }

    /// NO_COLOR: no colour escape reaches the terminal, and the model's trace stays apart
    /// from the original by glyph and attribute; the projection draws class glyphs and a legend.
    @Test func noColorKeepsOverlaysApart() throws {
        if let why = Self.skipReason { print("skipping tmux end-to-end test: \(why)"); return }
        let folder = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("cohort.h5").path
        let r = try Tmux.run(Self.binary, ["embed", store, "--model", folder.appendingPathComponent("tiny.safetensors").path,
                                           "--init", "random", "--config", "tiny", "--seed", "5"])
        guard r.status == 0 else { throw TmuxError("m2ae embed exited \(r.status): \(r.output)") }
        let tmux = try Tmux(command: "NO_COLOR=1 \(Self.binary) tui cohort.h5 --model tiny.safetensors", folder: folder, width: 80, height: 24)
        defer { tmux.kill() }
        _ = try tmux.waitFor("Records 1/32")
        tmux.send("Tab", "Tab", "z")
        var screen = try tmux.waitFor("RMSE")
        #expect(screen.contains("⠂⠂ original ⠒⠒ model"))
        // Every SGR parameter tmux reports: attributes only (39/49 are its default-colour resets).
        let styled = tmux.capture(escapes: true)
        let params = Set(styled.components(separatedBy: "\u{1b}[").dropFirst().compactMap { seq -> [Int]? in
            guard let m = seq.firstIndex(of: "m") else { return nil }
            return seq[..<m].split(separator: ";").compactMap { Int($0) }
        }.joined())
        let colours = params.filter { (30...38).contains($0) || (40...48).contains($0) || (90...107).contains($0) }
        #expect(colours.isEmpty, "colour escapes under NO_COLOR: \(colours.sorted())")
        #expect(params.contains(1) && params.contains(2))   // bold model, dim original
        tmux.send("z", "Tab", "Tab", "z", "P")
        screen = try tmux.waitFor("Enter jumps")
        #expect(screen.contains("o NSR  x AF"), "\(screen)")
        tmux.send("q")
        _ = try tmux.waitFor("EXIT:0")
    }
}

/// A detached tmux session on a private socket running one command.
struct Tmux {
    let socket: String
    let session = "m2ae"
    /// The tmux server this test started (ended by `kill`).
    let serverPID: Int32?

    /// Starts `command` in `folder`; when it ends the pane prints `EXIT:<status>` and the
    /// terminal's `icanon`/`echo` flags, then stays open for inspection.
    init(command: String, folder: URL, width: Int, height: Int) throws {
        socket = "m2ae-test-\(UUID().uuidString.prefix(8))"
        let script = folder.appendingPathComponent("run-\(socket).sh")
        try """
        cd '\(folder.path)'
        \(command)
        echo "EXIT:$?"
        echo "STTY: $(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')"
        sleep 20
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try Self.run("tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)",
                                      "env", "TERM=xterm-256color", "sh", script.path])
        guard r.status == 0 else { throw TmuxError("tmux new-session exited \(r.status): \(r.output)") }
        serverPID = Int32((try? Self.run("tmux", ["-L", socket, "display-message", "-p", "-t", session, "#{pid}"]))?.output
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    }

    /// A detached session running an interactive bash (job control on) in `folder`, for
    /// typing command lines; `kill` ends it.
    init(interactiveShellIn folder: URL, width: Int, height: Int) throws {
        socket = "m2ae-test-\(UUID().uuidString.prefix(8))"
        let r = try Self.run("tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)",
                                      "-c", folder.path, "env", "TERM=xterm-256color", "PS1=$ ", "bash", "--norc", "--noprofile", "-i"])
        guard r.status == 0 else { throw TmuxError("tmux new-session exited \(r.status): \(r.output)") }
        serverPID = Int32((try? Self.run("tmux", ["-L", socket, "display-message", "-p", "-t", session, "#{pid}"]))?.output
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    }

    /// Sends `text` as it is, in one write to the pane (escape sequences included).
    func sendLiteral(_ text: String) { _ = try? Self.run("tmux", ["-L", socket, "send-keys", "-t", session, "-l", text]) }

    /// Sends keys in tmux's names (`Down`, `Escape`, `C-c`, or literal text).
    func send(_ keys: String...) { _ = try? Self.run("tmux", ["-L", socket, "send-keys", "-t", session] + keys) }

    func resize(width: Int, height: Int) {
        _ = try? Self.run("tmux", ["-L", socket, "resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The visible pane as text; with `escapes`, with the SGR sequences of its attributes and colours.
    func capture(escapes: Bool = false) -> String {
        (try? Self.run("tmux", ["-L", socket, "capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session]).output) ?? ""
    }

    /// Polls the pane until `text` appears (10 s at most) and returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        let end = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < end {
            screen = capture()
            if screen.contains(text) { return screen }
            usleep(50_000)
        }
        throw TmuxError("'\(text)' did not appear within \(timeout) s; the screen:\n\(screen)")
    }

    /// The pid of the process the pane's shell started (the m2ae under test).
    func childPID() -> Int32? {
        guard let shell = (try? Self.run("tmux", ["-L", socket, "list-panes", "-t", session, "-F", "#{pane_pid}"]))?.output
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        let r = try? Self.run("pgrep", ["-P", shell, "m2ae"])
        return r.flatMap { Int32($0.output.split(separator: "\n").first ?? "") }
    }

    /// Ends the tmux server of this socket (and with it the session it started).
    func kill() {
        _ = try? Self.run("tmux", ["-L", socket, "kill-server"])
        usleep(200_000)
        if let pid = serverPID, Foundation.kill(pid, 0) == 0 { Foundation.kill(pid, SIGKILL) }
        let path = "/tmp/tmux-\(getuid())/\(socket)"
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs a program from the PATH (or a path) and returns its status and merged output.
    static func run(_ program: String, _ args: [String]) throws -> (status: Int32, output: String) {
        // posix_spawn + waitpid rather than Foundation.Process, whose wait never returns when
        // the child (tmux new-session) leaves a daemon behind. Output goes to a file, not a
        // pipe, for the same reason.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: url) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        guard rc == 0 else { throw TmuxError("cannot start \(program): error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, (try? String(contentsOf: url, encoding: .utf8)) ?? "")
    }

    /// The path of `program` on the PATH, or nil.
    static func which(_ program: String) -> String? {
        let r = try? run("/usr/bin/which", [program])
        return r?.status == 0 ? r?.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
}

/// A step of an end-to-end test failed; the message holds what the screen showed.
struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
