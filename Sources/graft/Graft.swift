import ArgumentParser
import Graft

@main
struct GraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graft", abstract: "Graft")
}
