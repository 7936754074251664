/// Everything a key can do. The `KeyMap` attaches keys and help text to each.
public enum Command: String, Sendable, CaseIterable, Hashable {
    case help, quit, nextPane, prevPane, zoom, cycleMode, redraw, export, cancel, suspend
    case up, down, pageUp, pageDown, top, bottom, left, right
    case search, nextMatch, prevMatch, filter, sortNext, sortReverse
    case timeZoomIn, timeZoomOut, panLeft, panRight
    case reconMode, maskLess, maskMore, patchLeft, patchRight, togglePatch, rerun
    case sameSubject, jump, projectionMethod, colorBy, computeProjection
}
