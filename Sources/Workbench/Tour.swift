/// The built-in guided tour (`m2ae tui --tour`), a `KeyScript` that visits every pane.
public enum Tour {
    /// The tour's script text.
    public static let text = """
    # The M2AE Workbench guided tour
    pace 700
    caption Welcome to the M2AE Workbench. Records (left) lists every 10-s segment, grouped by subject.
    wait 2500
    key Down Down Down
    caption ↑/↓ move through the segments; Traces (right) shows ECG and PPG with R-peaks ▲ and PPG peaks ●.
    wait 2500
    key Right Right Left
    caption ←/→ step through this subject's segments in time.
    wait 2000
    key s s
    caption s sorts by the next column (S reverses); f filters by a label; / searches.
    wait 2500
    key f f f
    wait 1200
    key f f f f f
    key Tab
    caption Tab moves the focus; + and - zoom in time, , and . pan.
    key + + . .
    wait 2000
    key - -
    key Tab
    caption Reconstruction: the model redraws ECG from PPG alone. r cycles the modes.
    wait 3000
    key r r
    caption Masked mode: [ and ] change how much is hidden, Space toggles the patch under the cursor.
    key ] ] . . . Space
    wait 2500
    key Tab
    caption Neighbours: the most similar fingerprints in the store. Enter jumps to one; a includes the same subject.
    wait 2500
    key Down Down a
    wait 1500
    key Tab
    caption Projection: every fingerprint on a map; c changes the colouring, p switches PCA/UMAP.
    key c c
    wait 2000
    key z
    caption z zooms any pane to the full screen.
    wait 2000
    key z Tab
    caption Predictions: every downstream task beside the true label. m switches ECG+PPG / ECG / PPG.
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
