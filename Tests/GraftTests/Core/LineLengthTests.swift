import Foundation
import Testing

/// Lines of at most 150 characters in every Swift file of the package (sources, tests and the
/// manifest): long prose belongs in doc comments or in multi-line string literals.
@Suite("Line length")
struct LineLengthTests {
    /// The longest line allowed, in characters.
    static let limit = 150

    @Test func noSwiftLineIsLongerThanTheLimit() throws {
        let root = BackendSeamTests.packageRoot
        var files = ["Package.swift"]
        for folder in ["Sources", "Tests"] {
            let walker = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                if url.pathExtension == "swift" {
                    files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
                }
            }
        }
        #expect(files.count > 100, "found only \(files.count) Swift files under \(root.path)")
        var offenders: [String] = []
        for file in files.sorted() {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.utf8.count > Self.limit && line.count > Self.limit {
                offenders.append("\(file):\(number + 1) has \(line.count) characters")
            }
        }
        let list = offenders.joined(separator: "\n")
        #expect(offenders.isEmpty, "lines over \(Self.limit) characters:\n\(list)")
    }
}
