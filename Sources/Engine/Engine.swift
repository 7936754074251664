import COpenBLAS

/// The `Engine` module: flat-buffer layers over OpenBLAS.
public enum EngineModule {
    /// OpenBLAS's own description of its build (core type, threading).
    public static var blasConfig: String { String(cString: openblas_get_config()) }
}
