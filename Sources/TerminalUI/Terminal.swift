import CNcursesw
import Foundation

// MARK: - Signal handling (file-private C callbacks)

/// The last termination signal received (SIGINT, SIGTERM, SIGHUP), 0 when none.
/// Written by the signal handler, read by the event loop.
nonisolated(unsafe) private var pendingSignal: sig_atomic_t = 0

private func onTerminationSignal(_ sig: Int32) { pendingSignal = sig }

/// What each crash signal did before `start` (indexed by signal number), so a handler
/// installed earlier (m2ae's HDF5 crash guard) still has its say once the terminal is back.
nonisolated(unsafe) private let previousCrashActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

/// On a crash signal: restore the terminal, then hand the signal to what handled it before
/// (the default action, unless something was installed).
private func onCrashSignal(_ sig: Int32) {
    endwin()
    sigaction(sig, previousCrashActions + Int(sig), nil)
    raise(sig)   // blocked until this handler returns, then delivered to the previous action
}

// MARK: - Terminal

/// The ncurses backend: the only place that talks to the terminal.
///
/// It keeps the previous frame and writes only the cells that changed (`Buffer.diff`).
/// `start()` puts the terminal in raw mode; `stop()` restores it and is safe to call twice.
/// SIGINT, SIGTERM and SIGHUP end the event loop (`pendingSignal`), and crash signals
/// restore the terminal before they go on to what handled them before.
public final class Terminal {
    /// Whether colours are drawn (false when `NO_COLOR` is set or the terminal has none).
    public private(set) var colorsEnabled = false
    private var previous: Buffer?
    private var pairs: [Int: Int16] = [:]
    private var started = false
    /// Where the last button-1 press was reported, until its release.
    private var pressAt: (x: Int, y: Int)?

    public init() {}

    deinit { stop() }

    /// Enters raw, no-echo, keypad mode with the cursor hidden and mouse reports on.
    /// - Parameters:
    ///   - useColor: draw colours when the terminal supports them (pass false for `NO_COLOR`).
    ///   - pollMilliseconds: how long `nextEvent` waits for input before returning nil.
    public func start(useColor: Bool, pollMilliseconds: Int32 = 50) {
        setlocale(LC_ALL, "")
        initscr()
        started = true
        raw(); noecho()
        keypad(m2ae_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        timeout(pollMilliseconds)
        // Releases are asked for too, so ncurses never filters a mouse report (its loop that
        // skips filtered reports reads on without the poll timeout). A press and release in
        // one read reach us as the release only: see `pressAt`.
        mousemask(m2ae_button1_pressed() | m2ae_button1_released() | m2ae_button4_pressed() | m2ae_button5_pressed(), nil)
        mouseinterval(0)
        if useColor, has_colors() {
            start_color(); use_default_colors()
            colorsEnabled = true
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, onTerminationSignal) }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = onCrashSignal
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, previousCrashActions + Int(sig))
        }
        previous = nil
    }

    /// Hands the terminal back and stops the process (Ctrl-Z, which raw mode delivers as a
    /// key); returns after `fg` (SIGCONT) with raw mode back and the next `draw` repainting
    /// every cell. The size may have changed meanwhile: read `size` afterwards.
    public func suspend() {
        guard started else { return }
        endwin()
        // The default action (stop), even when this process was started with SIGTSTP
        // ignored or blocked; both are put back on resuming.
        let previousHandler = signal(SIGTSTP, SIG_DFL)
        var tstp = sigset_t(), previousMask = sigset_t()
        sigemptyset(&tstp)
        sigaddset(&tstp, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &tstp, &previousMask)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        signal(SIGTSTP, previousHandler)
        refresh()
        invalidate()
    }

    /// Leaves raw mode and restores the screen. Safe to call more than once.
    public func stop() {
        guard started else { return }
        started = false
        endwin()
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) { (Int(m2ae_cols()), Int(m2ae_lines())) }

    /// The termination signal received since start, or nil.
    public var receivedSignal: Int32? { pendingSignal == 0 ? nil : pendingSignal }

    /// Forgets the previous frame so the next `draw` repaints every cell (resize, Ctrl-L).
    public func invalidate() {
        previous = nil
        clearok(m2ae_stdscr(), true)
    }

    /// Draws `buffer`, writing only the cells that differ from the previous frame.
    /// - Returns: the number of cells written.
    @discardableResult
    public func draw(_ buffer: Buffer) -> Int {
        let updates = previous.map { buffer.diff(from: $0) } ?? buffer.diff(from: Buffer(area: Rect(width: 0, height: 0)))
        for u in updates {
            var wch: [wchar_t] = [0, 0]
            wch[0] = wchar_t(bitPattern: u.cell.symbol.unicodeScalars.first.map { $0.value } ?? 32)
            var attrs: UInt32 = 0
            if u.cell.attributes.contains(.bold) { attrs |= m2ae_attr_bold() }
            if u.cell.attributes.contains(.dim) { attrs |= m2ae_attr_dim() }
            if u.cell.attributes.contains(.reverse) { attrs |= m2ae_attr_reverse() }
            if u.cell.attributes.contains(.underline) { attrs |= m2ae_attr_underline() }
            let pair = colorsEnabled ? pairNumber(fg: u.cell.fg, bg: u.cell.bg) : 0
            _ = m2ae_put_cell(Int32(u.y), Int32(u.x), wch, attrs, pair)
        }
        refresh()
        previous = buffer
        return updates.count
    }

    /// The colour pair for (fg, bg), created on first use.
    private func pairNumber(fg: Color, bg: Color) -> Int16 {
        if fg == .default && bg == .default { return 0 }
        let key = (fg.rawValue + 1) * 16 + bg.rawValue + 1
        if let p = pairs[key] { return p }
        let p = Int16(pairs.count + 1)
        init_pair(p, Int16(fg.rawValue), Int16(bg.rawValue))
        pairs[key] = p
        return p
    }

    /// Waits up to the poll interval for one input event; nil when none arrived.
    public func nextEvent() -> TerminalEvent? {
        var ch: wint_t = 0
        let r = wget_wch(m2ae_stdscr(), &ch)
        if r == m2ae_err() { return nil }
        if r == KEY_CODE_YES { return functionKey(Int32(ch)) }
        switch ch {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(ch) + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    private func functionKey(_ code: Int32) -> TerminalEvent? {
        switch code {
        case m2ae_key_resize():
            let s = size
            return .resize(width: s.width, height: s.height)
        case m2ae_key_mouse():
            var ev = MEVENT()
            guard getmouse(&ev) == OK else { return nil }
            let state = ev.bstate
            let action: MouseAction
            if state & m2ae_button4_pressed() != 0 { action = .scrollUp }
            else if state & m2ae_button5_pressed() != 0 { action = .scrollDown }
            else if state & m2ae_button1_pressed() != 0 { action = .press; pressAt = (Int(ev.x), Int(ev.y)) }
            else if state & m2ae_button1_released() != 0 {
                // The release of a press already reported is nothing new; a release alone is
                // a whole click whose press ncurses merged into it.
                defer { pressAt = nil }
                if let p = pressAt, p == (Int(ev.x), Int(ev.y)) { return nil }
                action = .press
            } else { return nil }
            return .mouse(x: Int(ev.x), y: Int(ev.y), action)
        case m2ae_key_up(): return .key(.up)
        case m2ae_key_down(): return .key(.down)
        case m2ae_key_left(): return .key(.left)
        case m2ae_key_right(): return .key(.right)
        case m2ae_key_home(): return .key(.home)
        case m2ae_key_end(): return .key(.end)
        case m2ae_key_npage(): return .key(.pageDown)
        case m2ae_key_ppage(): return .key(.pageUp)
        case m2ae_key_enter(): return .key(.enter)
        case m2ae_key_backspace(): return .key(.backspace)
        case m2ae_key_btab(): return .key(.backTab)
        default:
            for n in 1...12 where code == m2ae_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }
}
