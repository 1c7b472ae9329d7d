import Foundation
import Testing
@testable import GraftLabs

/// Every lab trains through the harness: stopped at a random moment of its quick run it keeps
/// a checkpoint, and `--resume` ends with the uninterrupted run's numbers.
@Suite(.serialized) struct LabResumeTests {
    /// The labs whose data are bundled or already fetched (the others are covered by their own tests).
    static let labs: [String] = LabRegistry.all.filter { $0.missingData().isEmpty && LabResumeTests.converted.contains($0.name) }.map(\.name)

    /// The labs converted to the harness so far.
    static let converted: Set<String> = ["mnist-mlp", "mode-collapse", "multitask", "progressive", "chatbot", "chatbot-friends", "summarize"]

    @Test(arguments: labs) func stopAndResumeGiveTheUninterruptedNumbers(_ name: String) throws {
        try ResumeCheck.check(try #require(LabRegistry.lab(named: name)))
    }
}
