/// The built-in guided tour (`m2ae tui --tour`), a `KeyScript` that visits every pane.
///
/// It leaves the view as it found it (filter, sort, neighbour scope and fingerprint mode),
/// and its captions fit one row at 80 columns. Any key stops it (`update`'s demo handling).
public enum Tour {
    /// The tour's script text.
    public static let text = """
    # The M2AE Workbench guided tour
    pace 700
    caption Welcome! Records (left) lists every 10-s segment, grouped by subject.
    wait 2500
    key Down Down Down
    caption ↑/↓ move; Traces shows ECG and PPG with R-peaks ▲ and PPG peaks ●.
    wait 2500
    key Right Right Left
    caption ←/→ step through this subject's segments in time.
    wait 2000
    key S
    caption S reverses the order; s sorts by the next column, / searches.
    wait 2000
    key S
    caption f filters by a label: normal rhythm, AF, …, then back to all.
    key f f
    wait 1200
    key f f f f f f f
    key Tab
    caption Tab moves the focus; + and - zoom in time, , and . pan.
    key + + . .
    wait 2000
    key - -
    key Tab
    caption Reconstruction: the model redraws ECG from PPG alone; r cycles modes.
    wait 3000
    key r r
    caption Masked mode: [ and ] hide more or less; Space toggles a patch.
    key ] ] . . . Space
    wait 2500
    key Tab
    caption Neighbours: the most similar fingerprints; Enter jumps to one.
    wait 2500
    key Down Down a
    wait 1500
    key a Tab
    caption Projection: every fingerprint on a map; c colours, p switches PCA/UMAP.
    key c c
    wait 2000
    key z
    caption z zooms any pane to the full screen.
    wait 2000
    key z Tab
    caption Predictions: each task beside the true label; m switches ECG / PPG.
    wait 2500
    key m
    wait 1500
    key m m
    caption That is the tour. ? lists every key, x exports the view, q quits.
    wait 3000
    key ?
    wait 2500
    key Esc
    caption
    """
}
