import ArgumentParser
import GraftLabs

/// A lab named on the command line: one of the registry's names, completed by the shell and
/// refused with the list of labs when unknown.
struct LabName: ExpressibleByArgument {
    /// The lab.
    let lab: any Lab

    /// The lab called `argument`, or nil (the parser then lists the valid names).
    init?(argument: String) {
        guard let lab = LabRegistry.lab(named: argument) else { return nil }
        self.lab = lab
    }

    /// Every lab's name, for help and completion.
    static var allValueStrings: [String] { LabRegistry.all.map(\.name) }

    /// Completes from the lab names.
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
