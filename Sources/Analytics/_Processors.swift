import Foundation

/// Processors available to the analytics' worker threads.
let activeProcessors = ProcessInfo.processInfo.activeProcessorCount
