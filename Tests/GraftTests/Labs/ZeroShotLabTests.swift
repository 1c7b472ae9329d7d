import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

@Suite struct ZeroShotLabTests {
    func temporaryFolder(_ tag: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-zero-shot-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh context for driving the zoo task's training loops outside a lab run.
    func context() throws -> LabContext {
        LabContext(lab: "zero-shot", options: LabOptions(quick: true, seed: 4, threads: 1), folder: try temporaryFolder("zoo"), showProgress: false)
    }

    @Test func everyPairOfFashionClassesDiffersInSomeAttribute() {
        let table = FashionAttributes.table
        #expect(table.count == FashionMNIST.classNames.count)
        #expect(table.allSatisfy { $0.count == FashionAttributes.attributes.count && $0.allSatisfy { $0 == 0 || $0 == 1 } })
        #expect(FashionAttributes.firstIdenticalPair() == nil)
        for i in table.indices { for j in table.indices where j > i { #expect(table[i] != table[j], "\(i) and \(j)") } }
        // The check itself finds a duplicate.
        #expect(FashionAttributes.firstIdenticalPair([[1, 0], [0, 1], [1, 0]]).map { [$0.0, $0.1] } == [0, 2])
    }

    @Test func everyAttributeOfTheUnseenClassesIsShownBySomeSeenClass() {
        #expect(FashionAttributes.unlearnable(seen: ZeroShotLab.seen, unseen: ZeroShotLab.unseen).isEmpty)
        #expect(ZeroShotLab.seen == [0, 1, 4, 5, 6, 7, 8])
        #expect(ZeroShotLab.unseen.map { FashionMNIST.classNames[$0] } == ["Pullover", "Dress", "Ankle boot"])
        // Without Sandal, Ankle boot's heel could not be learned.
        let heel = FashionAttributes.names.firstIndex(of: "heel")!
        #expect(FashionAttributes.unlearnable(seen: [0, 1, 4, 6, 7, 8], unseen: [5, 9]) == [heel, FashionAttributes.names.firstIndex(of: "open")!])
    }

    @Test func zooSignaturesSplitLegsIntoBits() throws {
        let zoo = try UCIZoo.load()
        let names = ZooZeroShot.attributeNames(zoo), sig = ZooZeroShot.signatures(zoo)
        #expect(names.count == 18 && sig.count == 101 && sig.allSatisfy { $0.count == 18 })
        let legs = Array(names.suffix(3))
        #expect(legs == ["two legs", "four legs", "more than four legs"])
        func row(_ animal: String) -> [Float] { sig[zoo.names.firstIndex(of: animal)!] }
        #expect(row("aardvark").suffix(3) == [0, 1, 0] && row("bass").suffix(3) == [0, 0, 0])
        #expect(row("chicken").suffix(3) == [1, 0, 0] && row("lobster").suffix(3) == [0, 0, 1])
        #expect(row("aardvark")[names.firstIndex(of: "milk")!] == 1 && row("bass")[names.firstIndex(of: "fins")!] == 1)
    }

    @Test func zooTaskIdentifiesUnseenAnimalsAboveChance() throws {
        let zoo = try UCIZoo.load(), embeddings = try ClassNameEmbeddings.load(.uciZoo)
        let a = try ZooZeroShot.run(zoo: zoo, embeddings: embeddings, epochs: 300, seed: 4, context: context())
        #expect(a.candidates > 10 && a.candidates <= 21)
        #expect(abs(a.chance - 1 / a.candidates) < 0.02)
        #expect(a.accuracy > 2 * a.chance, "accuracy \(a.accuracy), chance \(a.chance)")
        #expect(a.typeAccuracy > 0.3 && a.typeAccuracy <= 1)
        #expect(ClassifierKit.mean(a.attributeAccuracy) > ClassifierKit.mean(a.majorityAccuracy))
        let b = try ZooZeroShot.run(zoo: zoo, embeddings: embeddings, epochs: 300, seed: 4, context: context())
        #expect(a.accuracy == b.accuracy && a.attributeAccuracy == b.attributeAccuracy)
    }

    @Test func missingFashionMNISTSaysHowToFetchIt() throws {
        let home = try temporaryFolder("empty-home"), folder = try temporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: home); try? FileManager.default.removeItem(at: folder) }
        let lab = ZeroShotLab(dataHome: home)
        #expect(lab.missingData() == ["fashion-mnist"])
        do {
            _ = try LabRunner.run(lab, options: LabOptions(quick: true, threads: 1), folder: folder, showProgress: false)
            Issue.record("the lab ran without Fashion-MNIST")
        } catch let error as LabError {
            #expect(error.message.contains("graft data fetch fashion-mnist") && error.message.contains(home.path), "\(error)")
        }
    }

    /// The data folder holding Fashion-MNIST: the user's when it is complete there, else a
    /// temporary one filled by the project's own fetcher (apt-get download); nil (the test is
    /// cancelled) when the package cannot be downloaded.
    func fashionHome() throws -> (home: URL, temporary: Bool) {
        if DatasetCatalog.dataset(named: "fashion-mnist")!.status(dataHome: DataHome.directory).isComplete {
            return (DataHome.directory, false)
        }
        let home = try temporaryFolder("fashion-home")
        do {
            try DataFetcher(dataHome: home).fetch("fashion-mnist")
        } catch let error as FetchError where error.reason.contains("could not download") {
            try? FileManager.default.removeItem(at: home)
            try Test.cancel("""
                Fashion-MNIST is not in the data folder and apt-get cannot download dataset-fashion-mnist here, so the Fashion part \
                is not tested: \(error.reason)
                """)
        }
        return (home, true)
    }

    @Test func quickRunRecognisesUnseenFashionClassesAboveChance() throws {
        let (home, temporary) = try fashionHome()
        let folder = try temporaryFolder("quick")
        defer {
            try? FileManager.default.removeItem(at: folder)
            if temporary { try? FileManager.default.removeItem(at: home) }
        }
        let outcome = try LabRunner.run(ZeroShotLab(dataHome: home), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        #expect(try abs(value("chance, unseen classes") - 100.0 / 3) < 1e-9 && value("chance, generalized") == 10)
        for method in ZeroShotLab.Method.all.map(\.rawValue) {
            let zsl = try value("\(method): unseen accuracy"), h = try value("\(method): generalized H")
            let s = try value("\(method): generalized S"), u = try value("\(method): generalized U")
            #expect(zsl > 40 && zsl <= 100, "\(method): \(zsl)")
            #expect([h, s, u].allSatisfy { $0 >= 0 && $0 <= 100 })
            #expect(abs(h - (s + u > 0 ? 2 * s * u / (s + u) : 0)) < 1e-6, "\(method): H \(h) from S \(s), U \(u)")
        }
        #expect(try value("DAP: unseen accuracy") > 60)
        #expect(try value("seen-class classifier accuracy") > 75)
        #expect(try value("zoo: unseen-animal accuracy") > value("zoo: chance"))
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Zero-shot and generalized accuracy") && html.contains("Zero-shot accuracy per unseen class"))
        #expect(html.contains("Unseen-class test images") && html.contains("data:image/png;base64,") && html.contains("Zoo task"))
    }

    @Test func isRegisteredAndSkippedByTheTourWithoutItsData() throws {
        #expect(LabRegistry.lab(named: "zero-shot") is ZeroShotLab)
        let home = try temporaryFolder("tour-home"), folder = try temporaryFolder("tour")
        defer { try? FileManager.default.removeItem(at: home); try? FileManager.default.removeItem(at: folder) }
        let outcome = try DemoTour.run(labs: [ZeroShotLab(dataHome: home)], folder: folder, threads: 1, showProgress: false)
        #expect(outcome.skipped.map(\.lab) == ["zero-shot"] && outcome.failures.isEmpty && outcome.runs.isEmpty)
        #expect(try String(contentsOf: outcome.index, encoding: .utf8).contains("graft data fetch fashion-mnist"))
    }
}
