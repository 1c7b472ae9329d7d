import Foundation
import Testing
@testable import Graft
@testable import GraftLabs
@testable import GraftNN
import GraftRecipes

@Suite struct LayerTransferLabTests {
    func freshFolder(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-\(tag)-\(UUID().uuidString)")
    }

    /// A context for driving `ClassifierKit.train` outside a lab.
    func context() -> LabContext {
        LabContext(lab: "classifier-kit", options: LabOptions(quick: true, seed: 0, threads: 1), folder: freshFolder("kit"), showProgress: false)
    }

    @Test func quickRunRecordsTheSweepAndItsFigures() throws {
        let folder = freshFolder("layer-transfer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(LayerTransferLab(), options: LabOptions(quick: true, seed: 2, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "\(name)").value }
        // The base networks learn their 5-way tasks well above chance (20%).
        #expect(try value("baseA accuracy") > 60 && value("baseA accuracy") <= 100)
        #expect(try value("baseB accuracy") > 60 && value("baseB accuracy") <= 100)
        // Every condition at every n, the few-labels runs and the last-n runs are recorded, as percentages.
        for condition in ["BnB", "BnB+", "AnB", "AnB+"] {
            for n in 1...4 {
                let v = try value("\(condition) n=\(n) accuracy")
                #expect(v > 20 && v <= 100, "\(condition) n=\(n): \(v)")
            }
        }
        for name in ["scratch", "AnB frozen", "AnB+ fine-tuned"] {
            for f in ["1", "10", "100"] { #expect(try value("\(name) with \(f)% of B's labels") > 0) }
        }
        // 100% of B's labels from scratch is baseB itself; more labels do not make scratch worse here.
        #expect(try value("scratch with 100% of B's labels") == value("baseB accuracy"))
        #expect(try value("scratch with 1% of B's labels") < value("scratch with 100% of B's labels"))
        for n in 1...3 { #expect(try value("AnB last n=\(n) accuracy") > 20) }
        // Copying baseB's own first layer back and retraining the rest stays near baseB.
        #expect(try abs(value("BnB n=1 accuracy") - value("baseB accuracy")) < 15)

        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for text in ["layer transfer", "Few target labels", "Copy the first n or the last n hidden layers", "<svg", "Yosinski"] {
            #expect(html.contains(text), "\(text)")
        }
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: folder.appendingPathComponent("metrics.json")))
        let curve = try #require(record.curves.first { $0.name == "layer transfer" })
        #expect(Set(curve.order) == ["baseB", "BnB", "BnB+", "AnB", "AnB+"])
        #expect(curve.series["AnB"]?.count == 4)
    }

    @Test func frozenCopiedLayersStayPutWhileTheRestTrain() throws {
        let source = ClassifierKit.mlp(inputs: 6, hidden: [5, 5, 5], classes: 3, seed: 1)
        let target = ClassifierKit.mlp(inputs: 6, hidden: [5, 5, 5], classes: 3, seed: 9)
        try ClassifierKit.copyHidden(1...2, from: source, into: target, freeze: true)
        let before = target.stateDict().mapValues(\.scalars)
        let g = RandomGenerator(seed: 4)
        let data = LabeledSet(images: Tensor((0..<60).map { _ in g.nextFloat() }, shape: [10, 6]),
                              labels: Tensor((0..<10).map { Float($0 % 3) }, shape: [10]))
        try ClassifierKit.train(target, on: data, epochs: 5, batch: 4, optimizer: ClassifierKit.adam(target, learningRate: 0.01),
                                 seed: 3, context: context(), loop: "test")
        let after = target.stateDict().mapValues(\.scalars)
        // Hidden layers 1 and 2 are Sequential entries 0 and 2: copied from the source and unchanged.
        for key in ["0.weight", "0.bias", "2.weight", "2.bias"] {
            #expect(after[key] == source.stateDict()[key]?.scalars, "\(key)")
            #expect(after[key] == before[key], "\(key)")
        }
        // Hidden layer 3 and the output layer trained.
        #expect(after["4.weight"] != before["4.weight"])
        #expect(after["6.weight"] != before["6.weight"])
        #expect(ClassifierKit.entries(ofHidden: 2...3) == 2..<6)
    }

    @Test func convNetLayersCopyAsWholeBlocksAndFrozenOnesStayPut() throws {
        let source = TransferConvNet.make(channels: [2, 3], dense: [6, 5], classes: 3, seed: 1)
        let target = TransferConvNet.make(channels: [2, 3], dense: [6, 5], classes: 3, seed: 9)
        // Layer 1 is the first convolution (its weight and bias), layer 2 the second.
        try TransferConvNet.copyHidden(1...2, from: source, into: target, freeze: true)
        let before = target.stateDict().mapValues(\.scalars)
        for key in ["0.1.weight", "0.1.bias", "1.0.weight", "1.0.bias"] {
            #expect(before[key] == source.stateDict()[key]?.scalars, "\(key)")
        }
        #expect(before["2.1.weight"] != source.stateDict()["2.1.weight"]?.scalars)
        let g = RandomGenerator(seed: 4)
        let data = LabeledSet(images: Tensor((0..<(8 * 784)).map { _ in g.nextFloat() }, shape: [8, 784]),
                              labels: Tensor((0..<8).map { Float($0 % 3) }, shape: [8]))
        #expect(TransferConvNet.make(channels: [2, 3], dense: [6, 5], classes: 3, seed: 1)(data.images).shape == [8, 3])
        try ClassifierKit.train(target, on: data, epochs: 3, batch: 4, optimizer: ClassifierKit.adam(target, learningRate: 0.01),
                                 seed: 3, context: context(), loop: "test")
        let after = target.stateDict().mapValues(\.scalars)
        for key in ["0.1.weight", "0.1.bias", "1.0.weight", "1.0.bias"] { #expect(after[key] == before[key], "\(key)") }
        for key in ["2.1.weight", "3.0.weight", "4.weight"] { #expect(after[key] != before[key], "\(key)") }
        // A copy past the last layer is refused.
        #expect(throws: TransferError.layerOutOfRange(what: "source layer 5", layers: 5)) {
            try TransferConvNet.copyHidden(1...6, from: source, into: target, freeze: false)
        }
    }

    @Test func aNaNLossNamesTheStep() {
        // No hidden layer: a ReLU would turn the NaN input into zeros.
        let model = ClassifierKit.mlp(inputs: 2, hidden: [], classes: 2, seed: 1)
        let data = LabeledSet(images: Tensor([Float.nan, 1, 2, 3], shape: [2, 2]), labels: Tensor([0, 1], shape: [2]))
        #expect {
            try ClassifierKit.train(model, on: data, epochs: 1, batch: 2, optimizer: ClassifierKit.adam(model, learningRate: 0.1),
                                     seed: 0, context: context(), loop: "nan run")
        } throws: { error in
            error is NonFiniteLoss && "\(error)".contains("nan run") && "\(error)".contains("step 1")
        }
    }

    @Test func subsetsAreSeededAndBalanced() {
        let data = LabeledSet(images: Tensor((0..<40).map(Float.init), shape: [20, 2]),
                              labels: Tensor((0..<20).map { Float($0 % 4) }, shape: [20]))
        let a = data.perClass(2, seed: 5), b = data.perClass(2, seed: 5)
        #expect(a.count == 8 && a.images.scalars == b.images.scalars)
        #expect((0..<4).allSatisfy { c in a.labels.scalars.filter { Int($0) == c }.count == 2 })
        #expect(data.fraction(0.25, seed: 1).count == 5)
        #expect(data.fraction(0.25, seed: 1).images.scalars == data.fraction(0.25, seed: 1).images.scalars)
        #expect(ClassifierKit.std([1, 3]) == 2.squareRoot() && ClassifierKit.mean([1, 3]) == 2)
    }
}
