import Foundation
import Store

/// Removes the temporary files that killed runs writing `target` left beside it, and says so
/// on standard error (one line per file), before a command writes `target` again.
func noteRemovedLeftovers(of target: URL) {
    for file in AtomicReplace.removeAbandonedSiblings(of: target) {
        FileHandle.standardError.write(Data("m2ae: removed \(file.path), left by an interrupted run\n".utf8))
    }
}
