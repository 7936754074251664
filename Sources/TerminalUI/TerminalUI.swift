import CNcursesw

/// The `TerminalUI` module: cells, buffers, layout and the ncurses backend.
public enum TerminalUIModule {
    /// The ncurses version string this build links against.
    public static var ncursesVersion: String { String(cString: curses_version()) }
}
