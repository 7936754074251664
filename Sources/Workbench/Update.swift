import TerminalUI
import Store

// MARK: - Update

/// Applies one message to the state and returns the background work it asks for.
/// Pure: no I/O, no clock; the same state and message always give the same result.
public func update(_ s: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .key(let key):
        if s.demoPlaying { return stopDemo(&s, key) }
        return handleKey(&s, key)
    case .demoKey(let key):
        return handleKey(&s, key)
    case .demoPlaying(let playing):
        s.demoPlaying = playing
        return []
    case .resize(let w, let h):
        s.width = max(0, w); s.height = max(0, h)
        return [.redraw]
    case .mouse(let x, let y, let action):
        if s.demoPlaying { return stopDemo(&s, nil) }
        return handleMouse(&s, x: x, y: y, action)
    case .caption(let text):
        s.caption = text
        return []
    case .recordsLoaded(let result):
        s.running.remove(.records)
        switch result {
        case .success(let rows):
            s.records = rows
            s.subjectWidth = min(12, max(4, rows.reduce(0) { max($0, $1.subject.count) }))
            s.colorLabels = ColorLabel.builtIn.filter { label in label == .subject || rows.contains { Theme.knows(label, $0) } }
                + s.storeLabels.map { ColorLabel.label(LabelColoring($0)) }
            if !s.colorLabels.contains(s.colorBy) { s.colorBy = s.colorLabels[0] }
            s.anchor = nil
            s.selected = 0
            refreshVisible(&s)
            var effects = selectionChanged(&s)
            if s.modelName != nil { effects += modelWideEffects(&s) }
            return effects
        case .failure(let e):
            s.message = e.description
            return []
        }
    case .traceLoaded(let index, let result):
        guard index == s.current?.index else { return [] }
        s.running.remove(.trace)
        switch result {
        case .success(let t): s.trace = t
        case .failure(let e): s.message = e.description
        }
        return []
    case .riskLoaded(let mode, let result):
        guard mode == s.mode else { return [] }
        s.running.remove(.risk)
        switch result {
        case .success(let r):
            s.risk = r.risk.flatMap { $0.count == s.records.count ? $0 : nil }
            s.riskUnfamiliar = r.unfamiliar.flatMap { $0.count == s.records.count ? $0 : nil }
        case .failure(let e): s.message = e.description
        }
        if s.sort == .risk { refreshVisible(&s) }
        return []
    case .reconstructionLoaded(let index, let mode, let result):
        guard index == s.current?.index, mode == s.reconMode else { return [] }
        s.running.remove(.reconstruction)
        switch result {
        case .success(let r):
            s.reconstruction = r
            s.reconstructionNote = r == nil ? "no reconstruction: open the store with the model's checkpoint (m2ae tui --model CKPT)" : nil
        case .failure(let e):
            s.reconstruction = nil
            s.reconstructionNote = e.description
            s.message = e.description
        }
        return []
    case .neighboursLoaded(let index, let mode, let result):
        guard index == s.current?.index, mode == s.mode else { return [] }
        s.running.remove(.neighbours)
        switch result {
        case .success(let n):
            s.neighbours = n; s.neighbourSelected = 0
            s.neighboursKey = SegmentFingerprintKey(index: index, mode: mode)
        case .failure(let e): s.message = e.description
        }
        return []
    case .projectionLoaded(let method, let mode, let result):
        guard method == s.projectionMethod, mode == s.mode else { return [] }
        s.running.remove(.projection)
        switch result {
        case .success(let points):
            s.projection = points
            s.projectionKey = ProjectionKey(method: method, mode: mode)
            if let p = points { s.projectionBounds = bounds(p) }
        case .failure(let e): s.message = e.description
        }
        return []
    case .predictionsLoaded(let index, let mode, let result):
        guard index == s.current?.index, mode == s.mode else { return [] }
        s.running.remove(.predictions)
        switch result {
        case .success(let p):
            s.predictions = p.predictions
            s.predictionsFamiliarity = p.familiarity
            s.predictionsKey = SegmentFingerprintKey(index: index, mode: mode)
        case .failure(let e): s.message = e.description
        }
        return []
    case .exported(let result):
        s.running.remove(.export)
        switch result {
        case .success(let paths): s.message = "exported " + paths.joined(separator: ", ")
        case .failure(let e): s.message = e.description
        }
        return []
    }
}

// MARK: - Keys

private func handleKey(_ s: inout AppState, _ key: Key) -> [Effect] {
    if s.searchInput != nil { return handleSearchInput(&s, key) }
    if !s.fitsScreen {
        if KeyMap.command(for: key, in: s.focus) == .quit { s.quit = true }
        return []
    }
    guard let command = KeyMap.command(for: key, in: s.focus) else { return [] }
    if s.showHelp {
        switch command {
        case .help, .cancel: s.showHelp = false
        case .quit: s.quit = true
        case .up: s.helpScroll = max(0, s.helpScroll - 1)
        case .down: s.helpScroll = min(HelpPane.maxScroll(s), s.helpScroll + 1)
        case .pageUp: s.helpScroll = max(0, s.helpScroll - HelpPane.page(s))
        case .pageDown: s.helpScroll = min(HelpPane.maxScroll(s), s.helpScroll + HelpPane.page(s))
        case .top: s.helpScroll = 0
        case .bottom: s.helpScroll = HelpPane.maxScroll(s)
        case .suspend: return [.suspend]
        case .redraw: return [.redraw]
        default: break
        }
        return []
    }
    s.message = nil
    return perform(&s, command)
}

private func perform(_ s: inout AppState, _ command: Command) -> [Effect] {
    switch command {
    case .help: s.showHelp = true; s.helpScroll = 0
    case .quit: s.quit = true
    case .nextPane, .prevPane:
        let all = Pane.allCases
        let i = all.firstIndex(of: s.focus)!
        s.focus = all[(i + (command == .nextPane ? 1 : all.count - 1)) % all.count]
        if s.focus.isDetail { s.detail = s.focus }
    case .zoom: s.zoomed.toggle()
    case .cancel:
        if !s.search.isEmpty { s.search = "" } else if s.zoomed { s.zoomed = false } else { s.caption = nil }
    case .redraw: return [.redraw]
    case .suspend: return [.suspend]
    case .export:
        s.running.insert(.export)
        return [.export]
    case .cycleMode:
        let all = FingerprintMode.allCases
        s.mode = all[(all.firstIndex(of: s.mode)! + 1) % all.count]
        guard s.modelName != nil else { return [] }
        return modelWideEffects(&s) + segmentModelEffects(&s)
    case .up, .down, .pageUp, .pageDown, .top, .bottom:
        return move(&s, command)
    case .left, .right:
        if s.focus == .projection { moveCursor(&s, dx: command == .left ? -0.02 : 0.02, dy: 0); return [] }
        return stepWithinSubject(&s, forward: command == .right)
    case .search: s.searchInput = ""
    case .nextMatch, .prevMatch: return findMatch(&s, forward: command == .nextMatch, includingCurrent: false)
    case .filter:
        let cycle = LabelFilter.cycle(storeLabels: s.storeLabels)
        let i = cycle.firstIndex(of: s.filter) ?? 0
        s.filter = cycle[(i + 1) % cycle.count]
        return refreshKeepingSelection(&s)
    case .sortNext:
        // Only the columns on screen, in display order, so the ▲ is always visible.
        // Then the store's labels, which have no column (the title names them).
        let shown = RecordsPane.columns(s).map(\.col)
        let all = SortColumn.allCases
        s.descending = false
        if let current = s.sortLabel {
            let names = s.storeLabels.map(\.name)
            let i = names.firstIndex(of: current.label.name) ?? names.count
            if i + 1 < names.count { s.sortLabel = LabelColoring(s.storeLabels[i + 1]); return refreshKeepingSelection(&s) }
            s.sortLabel = nil
            s.sort = shown[0]
            return refreshKeepingSelection(&s)
        }
        if let first = s.storeLabels.first, shown.last == s.sort {
            s.sortLabel = LabelColoring(first)
            return refreshKeepingSelection(&s)
        }
        let next = shown.firstIndex(of: s.sort).map { shown[($0 + 1) % shown.count] }
            ?? shown.first { all.firstIndex(of: $0)! > all.firstIndex(of: s.sort)! } ?? shown[0]
        s.sort = next
        return refreshKeepingSelection(&s)
    case .sortReverse:
        s.descending.toggle()
        return refreshKeepingSelection(&s)
    case .timeZoomIn, .timeZoomOut:
        let window = SegmentFormat.samples / s.timeZoom
        let centre = s.timeStart + window / 2
        s.timeZoom = command == .timeZoomIn ? min(8, s.timeZoom * 2) : max(1, s.timeZoom / 2)
        let newWindow = SegmentFormat.samples / s.timeZoom
        s.timeStart = min(max(0, centre - newWindow / 2), SegmentFormat.samples - newWindow)
    case .panLeft, .panRight:
        pan(&s, by: command == .panLeft ? -1 : 1)
    case .patchLeft, .patchRight:
        let step = command == .patchLeft ? -1 : 1
        guard s.reconMode.isMasked else { pan(&s, by: step); return [] }
        s.patchCursor = min(s.mask.count - 1, max(0, s.patchCursor + step))
        // The view follows the cursor when zoomed.
        let patch = SegmentFormat.samples / s.mask.count
        let window = SegmentFormat.samples / s.timeZoom
        let lo = s.patchCursor * patch, hi = lo + patch
        if lo < s.timeStart { s.timeStart = lo } else if hi > s.timeStart + window { s.timeStart = hi - window }
    case .reconMode:
        let all = ReconstructionMode.allCases
        s.reconMode = all[(all.firstIndex(of: s.reconMode)! + 1) % all.count]
        return reconstructEffects(&s)
    case .maskLess, .maskMore:
        guard s.reconMode.isMasked else { s.message = "press r for a masked mode first"; return [] }
        s.maskRatio = min(0.9, max(0.1, s.maskRatio + (command == .maskMore ? 0.1 : -0.1)))
        s.maskRatio = (s.maskRatio * 10).rounded() / 10
        s.mask = AppState.mask(ratio: s.maskRatio, seed: s.current?.index ?? 0, patches: s.patchCount)
        return reconstructEffects(&s)
    case .togglePatch:
        guard s.reconMode.isMasked else { s.message = "press r for a masked mode first"; return [] }
        s.mask[s.patchCursor].toggle()
        s.maskRatio = Double(s.mask.filter { $0 }.count) / Double(s.mask.count)
        return reconstructEffects(&s)
    case .rerun: return reconstructEffects(&s)
    case .sameSubject:
        s.includeSameSubject.toggle()
        guard let c = s.current, s.modelName != nil else { return [] }
        s.running.insert(.neighbours)
        return [.findNeighbours(c.index, s.mode, k: s.neighbourCount, sameSubject: s.includeSameSubject)]
    case .jump:
        if s.focus == .neighbours, s.neighbours.indices.contains(s.neighbourSelected) {
            return select(&s, segment: s.neighbours[s.neighbourSelected].index)
        }
        if s.focus == .projection, let i = nearestPoint(s) { return select(&s, segment: i) }
    case .projectionMethod:
        s.projectionMethod = s.projectionMethod == .pca ? .umap : .pca
        guard s.modelName != nil else { return [] }
        s.running.insert(.projection)
        return [.project(s.projectionMethod, s.mode)]
    case .computeProjection:
        guard s.modelName != nil else { s.message = "no fingerprints in this store (m2ae embed)"; return [] }
        s.projectionMethod = .pca
        s.running.insert(.projection)
        return [.computePCA(s.mode)]
    case .colorBy:
        let all = s.colorLabels
        s.colorBy = all[((all.firstIndex(of: s.colorBy) ?? -1) + 1) % all.count]
    }
    return []
}

/// Pans the time window a quarter window earlier (-1) or later (+1).
private func pan(_ s: inout AppState, by step: Int) {
    let window = SegmentFormat.samples / s.timeZoom
    s.timeStart = min(max(0, s.timeStart + step * window / 4), SegmentFormat.samples - window)
}

/// A user key during a demo stops it: the key is not applied (a quit key still quits).
private func stopDemo(_ s: inout AppState, _ key: Key?) -> [Effect] {
    s.demoPlaying = false
    s.caption = nil
    if let key, KeyMap.command(for: key, in: s.focus) == .quit { s.quit = true; return [.stopDemo] }
    s.message = "demo stopped; the workbench is yours (? lists the keys)"
    return [.stopDemo]
}

private func handleSearchInput(_ s: inout AppState, _ key: Key) -> [Effect] {
    switch key {
    case .escape: s.searchInput = nil
    case .enter:
        s.search = s.searchInput ?? ""
        s.searchInput = nil
        let effects = findMatch(&s, forward: true, includingCurrent: true)
        if s.message != nil { s.search = "" }   // a failed search is not kept in the border
        return effects
    case .backspace: if s.searchInput?.isEmpty == false { s.searchInput?.removeLast() }
    case .char(let c): s.searchInput?.append(c)
    case .ctrl("c"): s.quit = true
    default: break
    }
    return []
}

// MARK: - Movement

private func move(_ s: inout AppState, _ command: Command) -> [Effect] {
    let page = max(1, (ScreenLayout(s).panes[s.focus]?.height ?? 10) - 3)
    switch s.focus {
    case .neighbours:
        let n = s.neighbours.count
        guard n > 0 else { return [] }
        s.neighbourSelected = clampedMove(s.neighbourSelected, command, count: n, page: page)
        return []
    case .projection where command == .up || command == .down:
        moveCursor(&s, dx: 0, dy: command == .up ? 0.04 : -0.04)
        return []
    case .predictions:
        let rows = max(1, (ScreenLayout(s).panes[.predictions]?.height ?? 3) - 2)
        let last = max(0, PredictionsPane.lines(s).count - rows)
        s.predictionsScroll = min(last, clampedMove(s.predictionsScroll, command, count: last + 1, page: rows))
        return []
    default:
        guard !s.visible.isEmpty else { return [] }
        let old = s.selected
        s.selected = clampedMove(s.selected, command, count: s.visible.count, page: page)
        return old == s.selected ? [] : selectionChanged(&s)
    }
}

private func clampedMove(_ i: Int, _ command: Command, count: Int, page: Int) -> Int {
    switch command {
    case .up: return max(0, i - 1)
    case .down: return min(count - 1, i + 1)
    case .pageUp: return max(0, i - page)
    case .pageDown: return min(count - 1, i + page)
    case .top: return 0
    case .bottom: return count - 1
    default: return i
    }
}

private func moveCursor(_ s: inout AppState, dx: Double, dy: Double) {
    s.cursor = (min(1, max(0, s.cursor.x + dx)), min(1, max(0, s.cursor.y + dy)))
}

/// Moves to the current subject's previous or next segment (by start time).
private func stepWithinSubject(_ s: inout AppState, forward: Bool) -> [Effect] {
    guard let c = s.current else { return [] }
    var best: RecordRow?
    for r in s.records where r.subjectIndex == c.subjectIndex && r.index != c.index {
        let after = r.start > c.start || (r.start == c.start && r.index > c.index)
        guard after == forward else { continue }
        if let b = best {
            let closer = forward ? (r.start, r.index) < (b.start, b.index) : (r.start, r.index) > (b.start, b.index)
            if closer { best = r }
        } else { best = r }
    }
    guard let target = best else { s.message = "no \(forward ? "later" : "earlier") segment of \(c.subject)"; return [] }
    return select(&s, segment: target.index)
}

/// Selects the segment with store index `segment`, clearing the filter if it hides it.
func select(_ s: inout AppState, segment: Int) -> [Effect] {
    s.anchor = segment
    if let p = s.visible.firstIndex(where: { s.records[$0].index == segment }) {
        s.selected = p
    } else {
        s.filter = .all
        refreshVisible(&s)
    }
    return selectionChanged(&s)
}

/// Moves to the next (or previous) visible row whose subject or record contains the search.
/// `n`/`N` step by group: rows of the current row's subject and record are skipped, and `N`
/// lands on the first row of the previous group, so a search naming subjects jumps by subject.
private func findMatch(_ s: inout AppState, forward: Bool, includingCurrent: Bool) -> [Effect] {
    let needle = s.search.lowercased()
    guard !needle.isEmpty, !s.visible.isEmpty else { return [] }
    func matches(_ r: RecordRow) -> Bool { r.subject.lowercased().contains(needle) || r.record.lowercased().contains(needle) }
    func sameGroup(_ a: RecordRow, _ b: RecordRow) -> Bool { a.subjectIndex == b.subjectIndex && a.record == b.record }
    let n = s.visible.count
    let here = s.records[s.visible[s.selected]]
    for step in (includingCurrent ? 0 : 1)..<n {
        var p = ((s.selected + (forward ? step : -step)) % n + n) % n
        let r = s.records[s.visible[p]]
        guard matches(r), includingCurrent || !sameGroup(r, here) else { continue }
        if !includingCurrent {
            while p > 0, sameGroup(s.records[s.visible[p - 1]], r) { p -= 1 }
        }
        if p == s.selected { return [] }
        s.selected = p
        return selectionChanged(&s)
    }
    if includingCurrent || !matches(here) {
        s.message = "no match for \"\(s.search)\""
    } else {
        s.message = "only \(here.subject) matches \"\(s.search)\""
    }
    return []
}

// MARK: - Mouse

private func handleMouse(_ s: inout AppState, x: Int, y: Int, _ action: MouseAction) -> [Effect] {
    guard s.fitsScreen else { return [] }
    switch action {
    case .scrollUp: return move(&s, .up)
    case .scrollDown: return move(&s, .down)
    case .press: break
    }
    let layout = ScreenLayout(s)
    if layout.tabs.contains(x: x, y: y) {
        if let stop = ScreenLayout.tabStops(width: s.width).first(where: { x >= $0.x && x < $0.x + $0.width }) {
            s.focus = stop.pane
            if stop.pane.isDetail { s.detail = stop.pane }
        }
        return []
    }
    guard let (pane, area) = layout.panes.first(where: { $0.value.contains(x: x, y: y) }) else { return [] }
    s.focus = pane
    switch pane {
    case .records:
        let rows = max(0, area.height - 3)
        let top = RecordsPane.top(selected: s.selected, count: s.visible.count, rows: rows)
        let p = top + y - ScreenLayout.tableTop(area)
        if y >= ScreenLayout.tableTop(area), p < s.visible.count, p != s.selected {
            s.selected = p
            return selectionChanged(&s)
        }
    case .neighbours:
        let p = y - ScreenLayout.tableTop(area)
        if p >= 0, p < s.neighbours.count { s.neighbourSelected = p }
    case .projection:
        let plot = ProjectionPane.plotArea(area)
        if plot.contains(x: x, y: y) {
            s.cursor = ((Double(x - plot.x) + 0.5) / Double(plot.width), 1 - (Double(y - plot.y) + 0.5) / Double(plot.height))
        }
    default: break
    }
    return []
}

// MARK: - Derived data and effects

/// Recomputes `visible` from filter and sort and places the selection: on the anchor (the
/// segment the user chose) when it is visible, else on the visible segment nearest to it in
/// store order (the earlier on a tie).
func refreshVisible(_ s: inout AppState) {
    var rows = s.records.indices.filter { s.filter.matches(s.records[$0]) }
    if s.sort != .subject || s.descending || s.sortLabel != nil {
        let key = sortKey(s)
        rows.sort { a, b in
            let ka = key(s.records[a]), kb = key(s.records[b])
            if ka != kb { return s.descending ? ka > kb : ka < kb }
            return a < b
        }
    }
    s.visible = rows
    guard let k = s.anchor else { s.selected = min(s.selected, max(0, rows.count - 1)); return }
    var best = 0, bestDistance = Int.max
    for (p, r) in rows.enumerated() {
        let i = s.records[r].index
        let d = abs(i - k)
        if d < bestDistance || (d == bestDistance && i < s.records[rows[best]].index) { best = p; bestDistance = d }
        if d == 0 { break }
    }
    s.selected = best
}

/// A comparable key per row for the sort column (text columns sort by their text).
private func sortKey(_ s: AppState) -> (RecordRow) -> SortValue {
    let risk = s.risk
    // A missing label value sorts after every value, both ways round.
    if let l = s.sortLabel {
        let missing = s.descending ? -Double.infinity : .infinity
        return { row in .number(l.value(row) ?? missing) }
    }
    switch s.sort {
    case .subject: return { .text($0.subject + String(format: "%012.3f", $0.start)) }
    case .start: return { .number($0.start) }
    case .rhythm: return { .number(Double($0.labels.ecgClass?.rawValue ?? 99)) }
    case .age: return { .number(Double($0.labels.age ?? .infinity)) }
    case .sex: return { .number(Double($0.labels.sex?.rawValue ?? 9)) }
    case .bp: return { .number(Double($0.labels.systolic ?? .infinity)) }
    case .quality: return { .text($0.qualityText) }
    // A segment without a score (NaN: no fingerprint of this mode) sorts below every score.
    case .risk: return { row in .number(risk.map { $0[row.index].isFinite ? Double($0[row.index]) : -1 } ?? 0) }
    }
}

private enum SortValue: Comparable {
    case number(Double), text(String)
}

/// Refilters or resorts; the anchor is kept (it is not moved to a fallback selection).
private func refreshKeepingSelection(_ s: inout AppState) -> [Effect] {
    let before = s.current?.index
    if s.anchor == nil { s.anchor = before }
    refreshVisible(&s)
    return s.current?.index == before ? [] : selectionChanged(&s, anchor: false)
}

/// The effects of a new current segment: its trace, and the model's views of it.
/// - Parameter anchor: the user chose this segment (filters keep it); false for a fallback.
private func selectionChanged(_ s: inout AppState, anchor: Bool = true) -> [Effect] {
    guard let c = s.current else { return [] }
    if anchor { s.anchor = c.index }
    s.mask = AppState.mask(ratio: s.maskRatio, seed: c.index, patches: s.patchCount)
    guard s.hasWaveforms else { return segmentModelEffects(&s) }
    s.running.insert(.trace)
    return [.loadTrace(c.index)] + segmentModelEffects(&s)
}

private func segmentModelEffects(_ s: inout AppState) -> [Effect] {
    guard let c = s.current, s.modelName != nil else { return [] }
    s.running.formUnion([.neighbours, .predictions])
    return reconstructEffects(&s) + [
        .findNeighbours(c.index, s.mode, k: s.neighbourCount, sameSubject: s.includeSameSubject),
        .predict(c.index, s.mode),
    ]
}

private func reconstructEffects(_ s: inout AppState) -> [Effect] {
    guard let c = s.current, s.modelName != nil, s.hasWaveforms else { return [] }
    s.running.insert(.reconstruction)
    return [.reconstruct(c.index, s.reconMode, s.mask)]
}

private func modelWideEffects(_ s: inout AppState) -> [Effect] {
    s.running.formUnion([.risk, .projection])
    return [.loadRisk(s.mode), .project(s.projectionMethod, s.mode)]
}

/// The bounding box of (n, 2) points.
private func bounds(_ p: [Float]) -> (minX: Float, maxX: Float, minY: Float, maxY: Float) {
    var b: (minX: Float, maxX: Float, minY: Float, maxY: Float) = (.infinity, -.infinity, .infinity, -.infinity)
    for i in stride(from: 0, to: p.count - 1, by: 2) where p[i].isFinite && p[i + 1].isFinite {
        b.minX = min(b.minX, p[i]); b.maxX = max(b.maxX, p[i])
        b.minY = min(b.minY, p[i + 1]); b.maxY = max(b.maxY, p[i + 1])
    }
    if !b.minX.isFinite { return (0, 1, 0, 1) }
    if b.maxX == b.minX { b.maxX += 1 }
    if b.maxY == b.minY { b.maxY += 1 }
    return b
}

/// The store index of the projected point nearest the cursor, nil without a projection.
public func nearestPoint(_ s: AppState) -> Int? {
    guard let p = s.projection, p.count >= 2 else { return nil }
    let b = s.projectionBounds
    let cx = Float(s.cursor.x) * (b.maxX - b.minX) + b.minX
    let cy = Float(s.cursor.y) * (b.maxY - b.minY) + b.minY
    let sx = 1 / (b.maxX - b.minX), sy = 1 / (b.maxY - b.minY)
    var best = -1, bestD = Float.infinity
    for i in 0..<(p.count / 2) {
        let dx = (p[2 * i] - cx) * sx, dy = (p[2 * i + 1] - cy) * sy
        let d = dx * dx + dy * dy
        if d < bestD { bestD = d; best = i }
    }
    return best >= 0 ? best : nil
}
