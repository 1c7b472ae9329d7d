import Foundation
import Testing
@testable import GraftLabs

/// Every lab trains through the harness: stopped at a random step of its quick run it keeps a
/// checkpoint, and `--resume` ends with the uninterrupted run's numbers.
@Suite(.serialized) struct LabResumeTests {
    /// Every lab whose data are bundled or already in the data folder; a lab that needs a data
    /// set `graft data fetch` has not fetched yet (on a fresh machine: chatbot-friends,
    /// summarize, style-transfer-sentiment, zero-shot's Fashion-MNIST task) is left out here and
    /// run by its own test, which fetches the data or cancels.
    static let labs: [String] = LabRegistry.all.filter { $0.missingData().isEmpty }.map(\.name)

    @Test(arguments: labs) func stopAndResumeGiveTheUninterruptedNumbers(_ name: String) throws {
        try ResumeCheck.check(try #require(LabRegistry.lab(named: name)))
    }

    /// The bundled labs are always in the list, so a fresh machine checks them all.
    @Test func theBundledLabsAreAlwaysChecked() {
        let bundled = ["mnist-mlp", "mode-collapse", "gan-eval", "layer-transfer", "finetune", "multitask", "progressive", "self-taught",
                       "self-taught-clustering", "dann", "zero-shot-translation", "seqgan-oracle", "chatbot", "style-transfer"]
        for name in bundled { #expect(Self.labs.contains(name), "\(name) is not in the resume check") }
    }
}
