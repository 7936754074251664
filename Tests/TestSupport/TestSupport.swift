import Foundation

/// Helpers shared by the test targets.
public enum TestSupport {
    /// The project's root folder (the one holding Package.swift), found from this file's path.
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the checkout, or nil when it is absent (a user's clone).
    public static let sharedFolder: URL? = {
        let url = projectRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// `../shared/data/real`, or nil when absent; tests that need it skip with a printed reason.
    public static var realDataFolder: URL? {
        sharedFolder.map { $0.appendingPathComponent("data/real") }
            .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
    }

    /// A fresh temporary folder, removed by the caller when done.
    public static func temporaryFolder(_ label: String = "m2ae-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
