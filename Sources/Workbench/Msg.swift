import TerminalUI
import Store

// MARK: - Messages and effects

/// Everything that can happen to the workbench: input, and results of background work.
public enum Msg: Sendable {
    /// A key the user pressed.
    case key(Key)
    /// A key replayed by a key script or the tour.
    case demoKey(Key)
    /// A key script or the tour starts (true) or has played its last step (false).
    case demoPlaying(Bool)
    case resize(width: Int, height: Int)
    case mouse(x: Int, y: Int, MouseAction)
    /// A demo caption (nil clears it).
    case caption(String?)
    case recordsLoaded(Result<[RecordRow], WorkbenchError>)
    case traceLoaded(Int, Result<TraceData, WorkbenchError>)
    /// The risk column and, where the probes file has a familiarity calibration, which segments are unfamiliar.
    case riskLoaded(FingerprintMode, Result<(risk: [Float]?, unfamiliar: [Bool]?), WorkbenchError>)
    case reconstructionLoaded(Int, ReconstructionMode, Result<Reconstruction?, WorkbenchError>)
    case neighboursLoaded(Int, FingerprintMode, Result<[NeighbourRow], WorkbenchError>)
    case projectionLoaded(ProjectionMethod, FingerprintMode, Result<[Float]?, WorkbenchError>)
    case predictionsLoaded(Int, FingerprintMode, Result<(predictions: [PredictionRow], familiarity: FamiliarityMark), WorkbenchError>)
    case exported(Result<[String], WorkbenchError>)
}

/// Work that `update` asks the runtime to do off the input path; each ends in a `Msg`.
public enum Effect: Sendable, Equatable {
    case loadRecords
    case loadTrace(Int)
    case loadRisk(FingerprintMode)
    case reconstruct(Int, ReconstructionMode, [Bool])
    case findNeighbours(Int, FingerprintMode, k: Int, sameSubject: Bool)
    case project(ProjectionMethod, FingerprintMode)
    /// Compute a PCA map of the fingerprints (the store has none).
    case computePCA(FingerprintMode)
    case predict(Int, FingerprintMode)
    /// Write the current frame as text and SVG.
    case export
    /// Forget the previous frame and repaint every cell.
    case redraw
    /// Hand the terminal back and stop the process (Ctrl-Z); repaint on `fg`.
    case suspend
    /// Drop the rest of the playing key script or tour.
    case stopDemo

    /// The status-line job this effect runs as, nil for instant ones.
    public var job: Job? {
        switch self {
        case .loadRecords: return .records
        case .loadTrace: return .trace
        case .loadRisk: return .risk
        case .reconstruct: return .reconstruction
        case .findNeighbours: return .neighbours
        case .project, .computePCA: return .projection
        case .predict: return .predictions
        case .export: return .export
        case .redraw, .suspend, .stopDemo: return nil
        }
    }
}
