import Foundation
import Graft
import GraftData
import GraftRecipes

extension ZeroShotLab {
    /// Records the Fashion-MNIST metrics, figures and notes.
    func record(_ sweep: SeedSweep<Method, MethodResult>, classifierAccuracy: [Double], firstTest: (x: Tensor, y: [Int]), sizes: Sizes,
                curves: Curves, context: LabContext) {
        let seeds = sweep.seeds.count, names = FashionMNIST.classNames
        let pm = { (v: [Double]) in seeds > 1 ? ClassifierKit.pm(v) : String(format: "%.1f", ClassifierKit.mean(v)) }
        let unseenNames = Self.unseen.map { names[$0] }
        /// `key` of `method`'s result for every seed, in %.
        func values(_ method: Method, _ key: (MethodResult) -> Double) -> [Double] { sweep.values(method) { 100 * key($0) } }
        let f1 = { (v: Double) in String(format: "%.1f", v) }
        let chanceZSL = 100 * ZeroShotMetrics.chance(candidates: Self.unseen.count), chanceAll = 100 * ZeroShotMetrics.chance(candidates: 10)
        let spread = "standard deviation over \(seeds) seeds"
        for method in Method.all {
            let name = method.rawValue
            let zsl = values(method, \.zsl), h = values(method, \.h), s = values(method, \.seen), u = values(method, \.unseen)
            context.metric("\(name): unseen accuracy", ClassifierKit.mean(zsl), unit: "%")
            if seeds > 1 { context.metric("\(name): unseen accuracy std", ClassifierKit.std(zsl), unit: "%", note: spread) }
            context.metric("\(name): generalized H", ClassifierKit.mean(h), unit: "%")
            if seeds > 1 { context.metric("\(name): generalized H std", ClassifierKit.std(h), unit: "%", note: spread) }
            context.metric("\(name): generalized S", ClassifierKit.mean(s), unit: "%")
            context.metric("\(name): generalized U", ClassifierKit.mean(u), unit: "%")
        }
        context.metric("chance, unseen classes", chanceZSL, unit: "%", note: "1 / \(Self.unseen.count) candidates")
        context.metric("chance, generalized", chanceAll, unit: "%", note: "1 / 10 candidates")
        context.metric("seen-class classifier accuracy", ClassifierKit.mean(classifierAccuracy.map { 100 * $0 }), unit: "%",
                       note: "the 784-256-128-\(Self.seen.count) network behind ConSE and DeViSE, on the seen classes' test images")

        let series: [(String, (MethodResult) -> Double)] = [("zero-shot, unseen", \.zsl), ("generalized S", \.seen),
                                                            ("generalized U", \.unseen), ("generalized H", \.h)]
        context.figure(.bars(title: "Zero-shot and generalized accuracy",
                             labels: Method.all.map(\.rawValue) + ["chance"],
                             series: series.enumerated().map { i, entry in
                                 (entry.0, Method.all.map { ClassifierKit.mean(values($0, entry.1)) } + [i == 0 ? chanceZSL : chanceAll])
                             },
                             unit: "%",
                             caption: """
                                 Mean class accuracy (mean over \(seeds) seed(s)). Zero-shot: unseen-class test images, the \
                                 \(Self.unseen.count) unseen classes as candidates. Generalized: all 10 classes as candidates; S on the \
                                 seen classes' test images, U on the unseen classes', H their harmonic mean. The last group is chance.
                                 """))
        context.figure(.bars(title: "Zero-shot accuracy per unseen class",
                             labels: unseenNames,
                             series: Method.all.map { method in
                                 (method.rawValue, unseenNames.indices.map { c in ClassifierKit.mean(values(method) { $0.perClass[c] }) })
                             },
                             unit: "%", caption: "Accuracy on each unseen class's test images with the unseen classes as candidates "
                                + "(mean over \(seeds) seed(s); chance \(f1(chanceZSL))%)."))
        let attributes = FashionAttributes.attributes.count
        context.figure(.curve(curves.loss, caption: "Mean training loss per epoch of the seen-class classifier (cross-entropy) and of the "
                                  + "attribute network (binary cross-entropy over \(attributes) attributes)."))
        context.figure(.curve(curves.hinge, caption: "DeViSE's hinge rank loss per epoch, projecting the classifier's 128 penultimate "
                                  + "features into the name-embedding (384-d) and attribute (\(attributes)-d, rows scaled to unit length) spaces."))

        // Example images: the first four test images of each unseen class, first seed.
        let first = { (method: Method) in sweep[method][0] }
        let shown: [Method] = [.dap, .deviseNames, .conse], confused: [Method] = [.dap, .deviseNames, .deviseAttributes, .conse]
        var rows: [Int] = []
        for c in Self.unseen { rows += firstTest.y.indices.filter { firstTest.y[$0] == c }.prefix(4) }
        let captions = rows.map { r in
            "\(names[firstTest.y[r]]) → " + shown.map { m in "\(m.short) \(names[first(m).zslPredicted[r]])" }.joined(separator: " / ")
        }
        if !rows.isEmpty {
            context.figure(.images(title: "Unseen-class test images and their zero-shot labels",
                                   images: firstTest.x.indexSelect(axis: 0, indices: Tensor(indices: rows)).reshape([rows.count, 1, 28, 28]),
                                   columns: 4, captions: captions,
                                   caption: "Test images of the never-seen classes with the label each method chose among the unseen "
                                       + "classes (first seed): DAP, DeViSE-n (name embeddings), ConSE."))
        }

        // Confusions of the first seed, zero-shot and generalized.
        var confusion: [String] = []
        for method in confused {
            let truth = firstTest.y
            let unseenRows = truth.indices.filter { Self.unseen.contains(truth[$0]) }
            let z = ZeroShotMetrics.confusion(predicted: unseenRows.map { first(method).zslPredicted[$0] }, truth: unseenRows.map { truth[$0] },
                                              classes: Self.unseen, predictedClasses: Self.unseen)
            let g = ZeroShotMetrics.confusion(predicted: unseenRows.map { first(method).gzslPredicted[$0] }, truth: unseenRows.map { truth[$0] },
                                              classes: Self.unseen, predictedClasses: Array(0..<10))
            let parts = Self.unseen.indices.map { i -> String in
                let total = max(z[i].reduce(0, +), 1)
                let zs = Self.unseen.indices.map { j in "\(unseenNames[j]) \(f1(100 * Double(z[i][j]) / Double(total)))%" }
                    .joined(separator: ", ")
                let top = g[i].indices.max { g[i][$0] < g[i][$1] }!
                return "\(unseenNames[i]) → \(zs) (generalized: most often \(names[top]), \(f1(100 * Double(g[i][top]) / Double(total)))%)"
            }
            confusion.append("\(method.rawValue): " + parts.joined(separator: "; "))
        }

        let table = FashionAttributes.table.enumerated().map { c, row in
            "\(names[c]): " + FashionAttributes.names.indices.filter { row[$0] == 1 }.map { FashionAttributes.names[$0] }.joined(separator: ", ")
        }
        context.note("""
            Fashion-MNIST with \(unseenNames.joined(separator: ", ")) held out: no image of them is used in training. They were \
            chosen as one top, one full-length garment and one shoe, each a new combination of attributes that the seen classes \
            show (Pullover: the long sleeves of Coat and Shirt without their front opening, warm like Coat; Dress: the upper body \
            of the tops with the leg cover of Trouser; Ankle boot: footwear with Sandal's heel, closed like Sneaker, warm like \
            Coat). Training used \(sizes.train >= 42_000 ? "all 42,000" : "\(sizes.train)") seen-class images; testing \
            \(sizes.test >= 10_000 ? "all 10,000" : "\(sizes.test)") test images of all ten classes. \(seeds) seed(s); ± is the \
            sample standard deviation over seeds.
            """)
        context.note("The attribute table (\(attributes) binary attributes, every pair of classes differs in at least one): "
                     + table.joined(separator: "; ") + ".")
        context.note("""
            Methods. DAP: a 784-256-\(attributes) network with sigmoid outputs trained with binary cross-entropy on the seen \
            classes' signatures, \(sizes.epochs) epochs; a class's score is Σ log p(a_m = a^z_m | x) − log p(a_m = a^z_m) with the \
            prior from the seen classes' attribute frequencies (DAP) or ½ (uniform prior). DeViSE: a linear map from the \
            seen-class classifier's 128 penultimate ReLU features (784-256-128-\(Self.seen.count), \(sizes.epochs) epochs of \
            cross-entropy) into the MiniLM name-embedding space, or into the attribute space (rows scaled to unit length), trained \
            \(sizes.projectionEpochs) epochs with the hinge rank loss (margin 0.1) over the seen classes; nearest class by cosine. \
            ConSE: the same classifier's top \(Self.conseTop) seen-class probabilities average the seen names' embeddings; nearest \
            class by cosine. No method is trained further for the unseen classes, and the generalized setting compares the raw \
            scores of seen and unseen classes, without a calibration against the seen classes' advantage (such as the calibrated \
            stacking of Chao et al. 2016).
            """)
        let zslMeans = Method.all.map { ClassifierKit.mean(values($0, \.zsl)) }
        let hMeans = Method.all.map { ClassifierKit.mean(values($0, \.h)) }
        let uMeans = Method.all.map { ClassifierKit.mean(values($0, \.unseen)) }
        let best = zslMeans.indices.max { zslMeans[$0] < zslMeans[$1] }!, bestH = hMeans.indices.max { hMeans[$0] < hMeans[$1] }!
        let summary = Method.all.map { "\($0.rawValue) \(pm(values($0, \.zsl)))%" }.joined(separator: ", ")
        let generalized = Method.all.enumerated().map { k, method in
            "\(method.rawValue) S \(f1(ClassifierKit.mean(values(method, \.seen))))%, U \(f1(uMeans[k]))%, H \(pm(values(method, \.h)))%"
        }.joined(separator: "; ")
        let above = zslMeans.filter { $0 > chanceZSL }.count
        context.note("""
            Zero-shot accuracy on the unseen classes (chance \(f1(chanceZSL))%): \(summary). \(above) of \(Method.all.count) methods \
            are above chance; the best is \(Method.all[best].rawValue). In the generalized setting (chance \(f1(chanceAll))%): \
            \(generalized). The best H is \(Method.all[bestH].rawValue)'s \(f1(hMeans[bestH]))%; the mean U over methods is \
            \(f1(ClassifierKit.mean(uMeans)))% against a mean zero-shot accuracy of \(f1(ClassifierKit.mean(zslMeans)))%, the drop \
            when seen classes compete.
            """)
        context.note("Where the unseen test images went (first seed): " + confusion.joined(separator: ". ") + ".")
    }

    /// Records the zoo task's metrics, figure and notes.
    func recordZoo(_ results: [ZooZeroShot.Result], zoo: UCIZoo, context: LabContext) {
        let seeds = results.count, f1 = { (v: Double) in String(format: "%.1f", v) }
        let pm = { (v: [Double]) in seeds > 1 ? ClassifierKit.pm(v) : String(format: "%.1f", ClassifierKit.mean(v)) }
        let accuracy = results.map { 100 * $0.accuracy }, chance = ClassifierKit.mean(results.map { 100 * $0.chance })
        context.metric("zoo: unseen-animal accuracy", ClassifierKit.mean(accuracy), unit: "%",
                       note: "mean class accuracy identifying held-out animals among the held-out animals' distinct attribute signatures, "
                           + "from their name embeddings (5 folds)")
        if seeds > 1 {
            context.metric("zoo: unseen-animal accuracy std", ClassifierKit.std(accuracy), unit: "%", note: "standard deviation over \(seeds) seeds")
        }
        context.metric("zoo: chance", chance, unit: "%", note: "1 / candidates, averaged over folds")
        let typeAccuracy = results.map { 100 * $0.typeAccuracy }
        context.metric("zoo: type of the identified animal", ClassifierKit.mean(typeAccuracy), unit: "%",
                       note: "the identified signature belongs to an animal of the true type")
        let names = ZooZeroShot.attributeNames(zoo)
        let attr = names.indices.map { j in ClassifierKit.mean(results.map { 100 * $0.attributeAccuracy[j] }) }
        let major = names.indices.map { j in ClassifierKit.mean(results.map { 100 * $0.majorityAccuracy[j] }) }
        context.metric("zoo: attribute accuracy", ClassifierKit.mean(attr), unit: "%",
                       note: "held-out animals' attributes predicted from their name embeddings, mean over \(names.count) attributes")
        context.metric("zoo: attribute majority baseline", ClassifierKit.mean(major), unit: "%", note: "always the training folds' majority value")
        context.figure(.bars(title: "Zoo: attributes of never-seen animals from their names", labels: names,
                             series: [("from the name embedding", attr), ("majority value", major)], unit: "%",
                             caption: """
                                 Accuracy of each attribute of the held-out animals predicted from their MiniLM name embeddings by \
                                 logistic regression trained on the other animals, against always predicting the training animals' \
                                 majority value (mean over \(seeds) seed(s)).
                                 """))
        let better = names.indices.filter { attr[$0] > major[$0] }.count
        let candidates = f1(ClassifierKit.mean(results.map(\.candidates)))
        context.note("""
            Zoo task. Given: the 101 animals' name embeddings and their attribute table (\(names.count) binary attributes: the 15 \
            yes/no columns, and legs as two / four / more than four). Each seed splits the animals into five folds; for each fold, \
            logistic regression from name embedding to attributes (full-batch Adam, weight decay 0.001) is trained on the other \
            folds' animals only, and each held-out animal, given by its name embedding alone, is identified by DAP among the \
            distinct signatures of the held-out animals (animals with identical rows count as one class, about \(candidates) \
            candidates per fold). Predicted: the held-out animals' attributes, and from them which described animal each is.
            """)
        context.note("""
            Identification reached \(pm(accuracy))% against chance \(f1(chance))%; the identified signature had the right type for \
            \(pm(typeAccuracy))% of animals. The name embeddings predicted \(better) of \(names.count) attributes better than the \
            majority value (mean \(f1(ClassifierKit.mean(attr)))% against \(f1(ClassifierKit.mean(major)))%).
            """)
    }
}
